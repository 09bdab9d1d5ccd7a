package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.meshgate.game.GameType;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One matchmaker for the whole cluster: players connected to different nodes are matched together, each ticket once,
 * and join the match's lobby (on whichever node it opened) with their seats; when the matchmaker's node leaves,
 * another takes over and the tickets still waiting go on there.
 */
class ClusterMatchmakingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;
    private static RedisCommands<String, String> directory;

    /** A node of {@code cluster} whose game is "table", matching fast. */
    private static TestServer node(TestCluster cluster, String id) throws Exception {
        return new TestServer(List.of(GameType.of("table", room -> new IdleGame(), 0, 0)), cluster.flags(id,
                "--match-cycle", "50", "--match-settle", "300", "--match-hold", "3000"));
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.add(node(cluster, "node-a"));
        b = cluster.add(node(cluster, "node-b"));
        directory = cluster.directory;
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        a.closeClients();
        b.closeClients();
    }

    private static void ticket(SignalingClient client, int number, String keys) {
        client.sendRaw("{\"type\":102,\"id\":" + number + ",\"data\":\"\"" + keys + "}");
    }

    /** The next TICKET_STATUS whose state is {@code state}, skipping others. */
    private static JsonNode status(SignalingClient client, String state) throws Exception {
        while (true) {
            JsonNode message = JSON.readTree(client.nextRaw());
            if (message.get("type").asInt() == SignalMessage.TICKET_STATUS
                    && message.get("state").asText().equals(state)) {
                return message;
            }
            assertNotEquals("ended", message.get("state").asText(), message.toString());
        }
    }

    private static void join(SignalingClient player, JsonNode matched) {
        player.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + matched.get("lobby").asText() + "\",\"seat\":\""
                + matched.get("seat").asText() + "\"}");
    }

    @Test
    void playersOfTwoNodesAreMatchedTogetherAndJoinTheMatchLobbyWithTheirSeats() throws Exception {
        assertNotNull(Eventually.value("a node runs the matchmaker", () -> directory.get("meshgate:matchmaker")));
        String keys = ",\"game\":\"table\",\"properties\":{\"region\":\"eu\"},\"min\":2,\"max\":2";
        SignalingClient onA = a.connect();
        SignalingClient onB = b.connect();
        ticket(onA, 1, keys);
        ticket(onB, 7, keys);
        JsonNode matchedA = status(onA, "matched");
        JsonNode matchedB = status(onB, "matched");
        assertEquals(7, matchedB.get("id").asInt(), "the client's own ticket number");
        String lobby = matchedA.get("lobby").asText();
        assertEquals(lobby, matchedB.get("lobby").asText(), "one match for both");
        assertNotEquals(matchedA.get("seat").asText(), matchedB.get("seat").asText());

        // the lobby opened on one node: its seats are held from both
        for (TestServer node : List.of(a, b)) {
            SignalingClient stranger = node.connect();
            stranger.send(SignalMessage.JOIN, 0, lobby);
            assertEquals(new CloseStatus(4000, "Lobby is reserved for its matched players"), stranger.awaitClose());
        }
        join(onA, matchedA);
        assertEquals(lobby, onA.awaitJoin());
        join(onB, matchedB);
        assertEquals(lobby, onB.awaitJoin(), "a seat taken from the other node than the lobby's");
    }

    @Test
    void aPeerHostedMatchAcrossNodesIsHostedByItsFirstPlayerToArrive() throws Exception {
        String keys = ",\"game\":\"duel-x\",\"hosting\":\"peer\",\"mesh\":true,\"min\":2,\"max\":2";
        SignalingClient onA = a.connect();
        SignalingClient onB = b.connect();
        ticket(onA, 1, keys);
        ticket(onB, 1, keys);
        JsonNode matchedA = status(onA, "matched");
        JsonNode matchedB = status(onB, "matched");
        assertEquals(matchedA.get("lobby").asText(), matchedB.get("lobby").asText());
        join(onB, matchedB);
        onB.expect(SignalMessage.ID, 1, "true");
        assertEquals(matchedB.get("lobby").asText(), onB.awaitJoin());
        join(onA, matchedA);
        SignalMessage id = onA.next();
        assertEquals(SignalMessage.ID, id.type());
        onA.expect(SignalMessage.PEER_CONNECT, 1, "");
        onB.expect(SignalMessage.PEER_CONNECT, id.id(), "");
    }

    @Test
    void whenTheMatchmakersNodeLeavesAnotherTakesOverAndWaitingTicketsGoOnThere() throws Exception {
        try (TestCluster own = TestCluster.start()) {
            TestServer first = node(own, "node-x"); // closed by the test, not with the cluster
            try {
                TestServer second = own.add(node(own, "node-y"));
                RedisCommands<String, String> lease = own.directory;
                assertEquals("node-x", lease.get("meshgate:matchmaker"), "the first node took the lease");
                String keys = ",\"game\":\"table\",\"properties\":{\"mode\":\"last\"},\"min\":2,\"max\":2";
                SignalingClient waiting = second.connect();
                ticket(waiting, 3, keys);
                status(waiting, "waiting"); // at X's matchmaker, alone

                first.close(); // it gives the lease up as it leaves
                Eventually.await("Y took the lease", () -> "node-y".equals(lease.get("meshgate:matchmaker")));
                SignalingClient newcomer = second.connect();
                ticket(newcomer, 1, keys);
                JsonNode matched = status(waiting, "matched");
                assertEquals(3, matched.get("id").asInt());
                assertEquals(matched.get("lobby").asText(), status(newcomer, "matched").get("lobby").asText(),
                        "the ticket waiting at X met the newcomer at Y");
            } finally {
                first.close();
            }
        }
    }
}

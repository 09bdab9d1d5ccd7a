package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.sync.RedisCommands;
import io.meshgate.lobby.Reason;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing a real redis-server: a Godot 4 client connected to node B plays in a lobby node A owns, and
 * neither it nor the members on A can tell: the same ids, join sequence, relayed signals with ids rewritten, and the
 * same close codes and reasons as on one node.
 */
class CrossNodeLobbyTest {

    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;
    private static RedisCommands<String, String> directory;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.node("node-a");
        b = cluster.node("node-b");
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

    /** A lobby made on A, once the directory lists it: a client of B may look it up from then on. */
    private String lobbyOnA(SignalingClient creator, boolean mesh) throws Exception {
        String lobby = creator.create(mesh);
        Eventually.await("lobby " + lobby + " listed under node-a",
                () -> "node-a".equals(directory.get("meshgate:lobby:" + lobby)));
        return lobby;
    }

    /** Joins {@code lobby} and checks the joiner's sequence: its id, the host, the other members, then JOIN. */
    private static int join(SignalingClient joiner, String lobby, boolean mesh, Integer... others) throws Exception {
        joiner.send(SignalMessage.JOIN, mesh ? 0 : 1, lobby);
        SignalMessage id = joiner.next();
        assertEquals(SignalMessage.ID, id.type(), "first the joiner's id: " + id);
        assertEquals(mesh ? "true" : "", id.data());
        assertTrue(id.id() >= 2, "a member's id: " + id);
        joiner.expect(SignalMessage.PEER_CONNECT, 1, "");
        for (int other : others) {
            joiner.expect(SignalMessage.PEER_CONNECT, other, "");
        }
        joiner.expect(SignalMessage.JOIN, 0, lobby);
        return id.id();
    }

    @Test
    void aClientOfOneNodePlaysInALobbyOfAnother() throws Exception {
        SignalingClient creator = a.connect();
        String lobby = lobbyOnA(creator, true);

        SignalingClient joiner = b.connect();
        int joinerId = join(joiner, lobby, true);
        creator.expect(SignalMessage.PEER_CONNECT, joinerId, "");

        // signals both ways, ids rewritten as on one node: the joiner addresses the host as 1
        joiner.send(SignalMessage.OFFER, 1, "v=0 offer from B");
        creator.expect(SignalMessage.OFFER, joinerId, "v=0 offer from B");
        creator.send(SignalMessage.ANSWER, joinerId, "v=0 answer from A");
        joiner.expect(SignalMessage.ANSWER, 1, "v=0 answer from A");
        for (int i = 0; i < 50; i++) {
            joiner.send(SignalMessage.CANDIDATE, 1, "\n0\n0\ncandidate:" + i);
        }
        for (int i = 0; i < 50; i++) {
            creator.expect(SignalMessage.CANDIDATE, joinerId, "\n0\n0\ncandidate:" + i); // in order
        }
        double sent = metric(b, "meshgate_cluster_messages_sent_total");
        assertTrue(sent >= 53, "B sent its client's JOIN, offer and candidates to A: " + sent);
        assertTrue(metric(b, "meshgate_cluster_publishes_total") <= sent);
        assertTrue(metric(a, "meshgate_cluster_messages_received_total") >= 53);
        assertEquals(1, metric(a, "meshgate_cluster_matchmaker") + metric(b, "meshgate_cluster_matchmaker"),
                "one of the two runs the matchmaker");

        // a member on A and the one on B see each other join and leave alike
        SignalingClient local = a.connect();
        int localId = join(local, lobby, true, joinerId); // the member from B announced like any other
        creator.expect(SignalMessage.PEER_CONNECT, localId, "");
        joiner.expect(SignalMessage.PEER_CONNECT, localId, "");
        local.send(SignalMessage.OFFER, joinerId, "v=0 offer from A's member");
        joiner.expect(SignalMessage.OFFER, localId, "v=0 offer from A's member");

        joiner.close();
        creator.expect(SignalMessage.PEER_DISCONNECT, joinerId, "");
        local.expect(SignalMessage.PEER_DISCONNECT, joinerId, "");
    }

    @Test
    void aLobbyJustCreatedOnANodeIsFoundFromAnotherAtOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            SignalingClient creator = a.connect();
            String lobby = creator.create(true); // no waiting for the directory: a friend may be this quick
            SignalingClient joiner = b.connect();
            int joinerId = join(joiner, lobby, true);
            creator.expect(SignalMessage.PEER_CONNECT, joinerId, "");
        }
    }

    @Test
    void aPrivateLobbyOfOneNodeIsJoinedByItsCodeFromAnother() throws Exception {
        SignalingClient host = a.connect();
        host.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"private\":true}");
        host.expect(SignalMessage.ID, 1, "true");
        JsonNode joined = new ObjectMapper().readTree(host.nextRaw());
        String lobby = joined.get("data").asText();
        String code = joined.get("code").asText();

        SignalingClient friend = b.connect();
        friend.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"" + code.toLowerCase() + "\"}");
        SignalMessage id = friend.next();
        assertEquals(SignalMessage.ID, id.type());
        friend.expect(SignalMessage.PEER_CONNECT, 1, "");
        assertEquals(lobby, friend.awaitJoin(), "the code leads to the lobby on the other node, case ignored");
        host.expect(SignalMessage.PEER_CONNECT, id.id(), "");
        friend.send(SignalMessage.OFFER, 1, "v=0 by code");
        host.expect(SignalMessage.OFFER, id.id(), "v=0 by code");

        // a code no node has: refused as on one node
        SignalingClient here = a.connect();
        here.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"ZZZZZ2\"}");
        SignalingClient there = b.connect();
        there.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"ZZZZZ2\"}");
        assertEquals(CloseStatus.of(Reason.NO_SUCH_CODE), here.awaitClose());
        assertEquals(here.awaitClose(), there.awaitClose());
    }

    @Test
    void whenTheHostLeavesTheMemberOnTheOtherNodeIsClosedAsTheOneOnItsNode() throws Exception {
        SignalingClient creator = a.connect();
        String lobby = lobbyOnA(creator, false);
        SignalingClient remote = b.connect();
        join(remote, lobby, false);
        SignalingClient local = a.connect();
        join(local, lobby, false); // client/server: members see only the host

        creator.close();
        CloseStatus atHome = local.awaitClose();
        assertEquals(atHome, remote.awaitClose(), "the member on B is closed exactly as the one on A");
        assertEquals(CloseStatus.of(Reason.HOST_DISCONNECTED), atHome);
    }

    @Test
    void aNameNoNodeKnowsIsRefusedAsOnOneNodeAndSoIsASealByAMember() throws Exception {
        SignalingClient here = a.connect();
        here.send(SignalMessage.JOIN, 0, "NoSuchLobbyAnywhere");
        SignalingClient there = b.connect();
        there.send(SignalMessage.JOIN, 0, "NoSuchLobbyAnywhere");
        assertEquals(here.awaitClose(), there.awaitClose());

        SignalingClient creator = a.connect();
        String lobby = lobbyOnA(creator, true);
        SignalingClient remote = b.connect();
        int remoteId = join(remote, lobby, true);
        SignalingClient local = a.connect();
        int localId = join(local, lobby, true, remoteId);
        remote.expect(SignalMessage.PEER_CONNECT, localId, "");
        remote.send(SignalMessage.SEAL, 0, "");
        local.send(SignalMessage.SEAL, 0, "");
        assertEquals(local.awaitClose(), remote.awaitClose(), "only the host may seal, on either node");
    }

    /** A public lobby made by a new client of {@code node}; returns its name. */
    private static String publicLobby(TestServer node) throws Exception {
        SignalingClient host = node.connect();
        host.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"public\":true}");
        host.expect(SignalMessage.ID, 1, "true");
        return host.awaitJoin();
    }

    /** One LIST page as {@code browser} sees it: the lobbies' names, then the page's next. */
    private static JsonNode list(SignalingClient browser, long after, int limit) throws Exception {
        browser.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\",\"after\":" + after + ",\"limit\":" + limit + "}");
        JsonNode page = new ObjectMapper().readTree(browser.nextRaw());
        assertEquals(101, page.get("type").asInt(), page.toString());
        return page;
    }

    /** Waits until {@code condition}, which asks a node by LIST, holds: other nodes' lobbies come with heartbeats. */
    private static void awaitListed(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        Eventually.value(what, () -> condition.call() ? Boolean.TRUE : null);
    }

    private static boolean lists(SignalingClient browser, String lobby) throws Exception {
        for (JsonNode shown : list(browser, 0, 50).get("lobbies")) {
            if (shown.get("name").asText().equals(lobby)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theLobbyBrowserOfEachNodeListsThePublicLobbiesOfAllOldestFirstAndPagesThroughThem() throws Exception {
        SignalingClient onA = a.connect();
        SignalingClient onB = b.connect();
        // each lobby listed everywhere before the next opens: their order is the order they opened in
        String first = publicLobby(a);
        awaitListed("B lists A's lobby", () -> lists(onB, first));
        String second = publicLobby(b);
        awaitListed("A lists B's lobby", () -> lists(onA, second));
        String third = publicLobby(a);
        awaitListed("B lists A's second lobby", () -> lists(onB, third));

        for (SignalingClient browser : new SignalingClient[] {a.connect(), b.connect()}) { // LIST has its own rate
            java.util.List<String> seen = new java.util.ArrayList<>();
            long after = 0;
            do {
                JsonNode page = list(browser, after, 1);
                page.get("lobbies").forEach(shown -> seen.add(shown.get("name").asText()));
                after = page.get("next").asLong();
            } while (after != 0 && seen.size() < 10);
            assertEquals(java.util.List.of(first, second, third), seen, "one page at a time, on either node");
        }

        // what a browser of B shows of A's lobby is joinable from B, and its players are counted there
        SignalingClient joiner = b.connect();
        int joinerId = join(joiner, first, true);
        awaitListed("B's listing counts the player of B in A's lobby", () -> {
            for (JsonNode shown : list(onB, 0, 50).get("lobbies")) {
                if (shown.get("name").asText().equals(first)) {
                    return shown.get("players").asInt() == 2;
                }
            }
            return false;
        });
        assertTrue(joinerId >= 2);
    }

    /** The join answer's resume token, after the id and the peers: skips to the JOIN. */
    private static String resumeToken(SignalingClient client) throws Exception {
        SignalMessage message = client.next();
        while (message.type() != SignalMessage.JOIN) {
            message = client.next();
        }
        assertNotNull(message.join().resume(), "a join answer carries a resume token: " + message);
        return message.join().resume();
    }

    /** A new connection takes back seat {@code id} of {@code lobby} with {@code token}; its new token. */
    private static String resume(SignalingClient client, String token, int id, String lobby) throws Exception {
        client.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"resume\":\"" + token + "\"}");
        SignalMessage assigned = client.next();
        assertEquals(SignalMessage.ID, assigned.type(), assigned.toString());
        assertEquals(id, assigned.id(), "the seat's own id");
        SignalMessage joined = client.next(); // as on one node: the others are not announced again
        assertEquals(SignalMessage.JOIN, joined.type());
        assertEquals(lobby, joined.data());
        return joined.join().resume();
    }

    @Test
    void aMemberOnAnotherNodeTakesItsSeatBackAfterADroppedConnectionThroughEitherNode() throws Exception {
        SignalingClient creator = a.connect();
        String lobby = lobbyOnA(creator, true);
        SignalingClient joiner = b.connect();
        joiner.send(SignalMessage.JOIN, 0, lobby);
        SignalMessage assigned = joiner.next();
        int id = assigned.id();
        String token = resumeToken(joiner);
        assertTrue(token.startsWith("node-a~"), "the token names the seat's node: " + token);
        creator.expect(SignalMessage.PEER_CONNECT, id, "");

        joiner.disconnect(); // no close frame: its seat is held
        SignalingClient back = b.connect();
        String again = resume(back, token, id, lobby);
        back.send(SignalMessage.OFFER, 1, "v=0 after resuming on B");
        creator.expect(SignalMessage.OFFER, id, "v=0 after resuming on B"); // and no PEER_DISCONNECT before it

        back.disconnect();
        SignalingClient home = a.connect(); // now through the seat's own node
        resume(home, again, id, lobby);
        creator.send(SignalMessage.OFFER, id, "v=0 to the seat, now on A");
        home.expect(SignalMessage.OFFER, 1, "v=0 to the seat, now on A");

        SignalingClient stranger = b.connect();
        stranger.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"resume\":\"" + token + "\"}");
        assertEquals(CloseStatus.of(Reason.RESUME_REFUSED), stranger.awaitClose(), "a token is good once");
    }

    @Test
    void godot3ClientsOfTwoNodesShareALobbyAndDialectsStillDoNotMix() throws Exception {
        SignalingClient host = a.connect("/godot3");
        host.sendRaw("J: \n");
        assertEquals("I: 1\n", host.nextRaw());
        String joined = host.nextRaw();
        String lobby = joined.substring(3, joined.length() - 1);
        Eventually.await("listed", () -> "node-a".equals(directory.get("meshgate:lobby:" + lobby)));

        SignalingClient member = b.connect("/godot3");
        member.sendRaw("J: " + lobby + "\n");
        String assigned = member.nextRaw();
        assertTrue(assigned.matches("I: [0-9]+\n"), assigned);
        int id = Integer.parseInt(assigned.substring(3, assigned.length() - 1));
        assertEquals("N: 1\n", member.nextRaw());
        assertEquals("J: " + lobby + "\n", member.nextRaw());
        assertEquals("N: " + id + "\n", host.nextRaw());
        host.sendRaw("O: " + id + "\nv=0 offer"); // Godot 3: the lower id offers
        assertEquals("O: 1\nv=0 offer", member.nextRaw());
        member.sendRaw("A: 1\nv=0 answer");
        assertEquals("A: " + id + "\nv=0 answer", host.nextRaw());

        SignalingClient godot4 = b.connect();
        godot4.send(SignalMessage.JOIN, 0, lobby);
        godot4.expectClose(4000, "Lobby does not exists"); // as on one node: each dialect sees its own lobbies
        member.sendRaw("S: \n");
        member.expectClose(4000, "Only host can seal the lobby");
        assertEquals("D: " + id + "\n", host.nextRaw());
    }

    /** A metric's value on the node's admin listener (a metric without labels). */
    private static double metric(TestServer node, String name) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.server.adminPort()
                        + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in the metrics:\n" + response.body());
    }
}

package io.meshgate.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.game.arena.ArenaGame;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.variant.VariantCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relay players taking their seat back over real sockets: a client that chose a resume key ({@code ?resume_key=})
 * and lost its socket comes back with {@code ?resume=} to the same seat, id and game; the others see it away and back,
 * never leave. Keys work once; a client without one leaves at once, as before.
 */
class RelayResumeTest {

    private static final CloseStatus REFUSED = new CloseStatus(4000,
            "Cannot resume: the token is unknown, used or expired");
    private static final ArenaGames GAMES = new ArenaGames();
    private static TestServer server;
    /** A short window, for the test that waits for it to end. */
    private static TestServer brief;
    private final List<RelayClient> clients = new ArrayList<>();
    private int keys;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(GAMES, "--resume-window", "20000");
        brief = new TestServer(GAMES, "--resume-window", "400");
    }

    @AfterAll
    static void stop() {
        server.close();
        brief.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RelayClient::close);
    }

    private RelayClient relay(TestServer on, String lobbyAndQuery) throws Exception {
        RelayClient client = RelayClient.connect(on.jetty, on.port(), lobbyAndQuery);
        clients.add(client);
        return client;
    }

    /** A key as a client would make one: random enough, new for each connection. */
    private String key() {
        return "k" + (++keys) + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "xxxxxxxxxxxx";
    }

    private static byte[] input(long seq) {
        return ScenePacket.raw(VariantCodec.GODOT4.encode(ArenaGame.input(1, 0, seq)));
    }

    private static boolean isDelPeer(ScenePacket packet, int id) {
        return packet.equals(new ScenePacket(ScenePacket.Kind.DEL_PEER, id, new byte[0]));
    }

    @Test
    void aRelayPlayerTakesItsSeatBackWithItsIdAndGameAndTheOthersSeeNoLeave() throws Exception {
        String first = key();
        RelayClient a = relay(server, "*?resume_key=" + first);
        int idA = a.readId();
        a.awaitMessage("welcome");
        RelayClient b = relay(server, "*");
        int idB = b.readId();
        b.await("ADD_PEER of a", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idA, new byte[0])));
        a.send(input(1));
        Eventually.await("a's input applied", () -> GAMES.applied(idA, 1));
        ArenaGame game = GAMES.withPlayer(idA);

        a.disconnect(); // no close frame: a phone changing networks
        List<ScenePacket> seenByB = new ArrayList<>();
        b.await("the game telling b that a is away", p -> {
            seenByB.add(p);
            return p.kind() == ScenePacket.Kind.RAW && RelayClient.decode(p) instanceof Map<?, ?> m
                    && "away".equals(m.get("type")) && Long.valueOf(idA).equals(m.get("id"));
        });
        assertEquals(1, server.server.lobbies().heldSeats());

        String second = key();
        RelayClient back = relay(server, "*?resume=" + first + "&resume_key=" + second);
        assertEquals(idA, back.readId(), "the same id");
        back.await("ADD_PEER of b on the new socket", p -> p.equals(
                new ScenePacket(ScenePacket.Kind.ADD_PEER, idB, new byte[0])));
        back.send(input(2));
        Eventually.await("the resumed player's input applied in the same game", () -> GAMES.applied(idA, 2));
        assertTrue(game.view().containsKey(idA), "still a player of the game it was in");
        b.await("the game telling b that a is back", p -> {
            seenByB.add(p);
            return p.kind() == ScenePacket.Kind.RAW && RelayClient.decode(p) instanceof Map<?, ?> m
                    && "back".equals(m.get("type")) && Long.valueOf(idA).equals(m.get("id"));
        });
        assertFalse(seenByB.stream().anyMatch(p -> isDelPeer(p, idA)), "b never saw a leave");
        assertEquals(1, game.drops());
        assertEquals(1, game.resumes());
        assertEquals(0, server.server.lobbies().heldSeats());

        // The first key is spent; the second resumes the seat again.
        assertEquals(REFUSED, relay(server, "*?resume=" + first + "&resume_key=" + key()).awaitClose());
        back.disconnect();
        Eventually.await("held again", () -> server.server.lobbies().heldSeats() == 1);
        RelayClient again = relay(server, "*?resume=" + second + "&resume_key=" + key());
        assertEquals(idA, again.readId());
        again.send(input(3));
        Eventually.await("playing again", () -> GAMES.applied(idA, 3));
        assertEquals(2, game.resumes());
    }

    @Test
    void aRelayPlayerWithoutAKeyLeavesAtOnceAsBefore() throws Exception {
        RelayClient a = relay(server, "*");
        int idA = a.readId();
        RelayClient b = relay(server, "*");
        b.readId();
        b.await("ADD_PEER of a", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idA, new byte[0])));
        a.disconnect();
        b.await("DEL_PEER of a", p -> isDelPeer(p, idA));
    }

    @Test
    void aSeatNotTakenBackInTheWindowIsGivenUpAndTheOthersAreTold() throws Exception {
        String first = key();
        RelayClient a = relay(brief, "*?resume_key=" + first);
        int idA = a.readId();
        RelayClient b = relay(brief, "*");
        b.readId();
        b.await("ADD_PEER of a", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idA, new byte[0])));
        a.disconnect();
        b.await("DEL_PEER of a once the window ended", p -> isDelPeer(p, idA));
        assertEquals(REFUSED, relay(brief, "*?resume=" + first + "&resume_key=" + key()).awaitClose());
        assertEquals(0, brief.server.lobbies().heldSeats());
    }

    @Test
    void aCleanCloseHoldsNothing() throws Exception {
        String first = key();
        RelayClient a = relay(server, "*?resume_key=" + first);
        a.readId();
        a.close();
        a.awaitClose();
        assertEquals(REFUSED, relay(server, "*?resume=" + first + "&resume_key=" + key()).awaitClose());
    }

    @Test
    void malformedOrReusedKeysAreRefusedBeforeTheUpgrade() throws Exception {
        for (String query : List.of("resume_key=short", "resume_key=" + "x".repeat(65), "resume=has+a+space+in+it",
                "resume_key=sameKeyForBothAAA&resume=sameKeyForBothAAA")) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> relay(server, "*?" + query), query);
            assertTrue(String.valueOf(refused.getCause()).contains("400"), query + ": " + refused.getCause());
        }
    }

    @Test
    void aSignalingSeatIsNotTakenByTheRelay() throws Exception {
        // A seat is taken back by the kind of connection that held it: a relay socket cannot play a WebRTC seat.
        SignalingClient host = server.connect();
        host.send(SignalMessage.JOIN, 4, ""); // a peer-hosted mesh; its host gets a token like any member
        String token = null;
        while (token == null) {
            JsonNode message = new ObjectMapper().readTree(host.nextRaw());
            if (message.get("type").asInt() == SignalMessage.JOIN) {
                token = message.path("resume").asText(null);
                assertTrue(token != null, "a resume token in the join answer");
            }
        }
        assertEquals(REFUSED, relay(server, "*?resume=" + token + "&resume_key=" + key()).awaitClose());
        assertTrue(host.isOpen(), "the host keeps its seat");
        host.close();
    }
}

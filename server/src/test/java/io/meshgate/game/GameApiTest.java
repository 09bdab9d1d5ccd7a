package io.meshgate.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.lobby.LobbyInfo;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a game author's code sees over real sockets: creation options, join attempts it refuses in its own words,
 * players' names and engines, why they left, kicks, closing its lobby, and its label in listings.
 */
class GameApiTest {

    /** Everything the games saw, as lines, across lobbies; written on lobby executors. */
    private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
    private static TestServer server;

    /** A game that writes down what it sees and obeys commands its players send as text. */
    private static final class Scripted implements Game {
        private final Room room;

        Scripted(Room room) {
            this.room = room;
        }

        @Override
        public void onCreate(Map<String, Object> options) {
            SEEN.add("create " + room.name() + " " + new java.util.TreeMap<>(options));
            room.setLabel(Map.of("mode", String.valueOf(options.getOrDefault("mode", "casual"))));
        }

        @Override
        public String onJoinAttempt(JoinAttempt attempt) {
            SEEN.add("attempt " + attempt.name() + " " + attempt.metadata() + " " + attempt.engine());
            return attempt.name().equals("banned") ? "You are banned from this game" : null;
        }

        @Override
        public void onJoin(Player player) {
            SEEN.add("join " + player.name() + " " + player.engine());
        }

        @Override
        public void onLeave(Player player, LeaveReason reason) {
            SEEN.add("leave " + player.name() + " " + reason);
        }

        @Override
        public void onPacket(Player player, Delivery delivery, byte[] payload) {
            String command = new String(payload, StandardCharsets.UTF_8);
            switch (command) {
                case "kick me" -> player.kick("Kicked: " + "x".repeat(200));
                case "close" -> room.close("Round over");
                default -> SEEN.add("packet " + command);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(List.of(GameType.of("scripted", Scripted::new, 0, 0)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RelayClient player(String name) throws Exception {
        RelayClient client = RelayClient.connect(server.jetty, server.port(), "*?name=" + name);
        client.readId();
        Eventually.await(name + " joined the game", () -> SEEN.contains("join " + name + " GODOT4"));
        return client;
    }

    /** A RAW SceneMultiplayer packet to the server: what send_bytes(text, 1) sends. */
    private static byte[] raw(String text) {
        return io.meshgate.wire.godot4.ScenePacket.raw(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aJoinAttemptCarriesWhatTheClientSaidAndTheGameMayRefuseIt() throws Exception {
        SignalingClient creator = server.connect();
        creator.sendRaw("{\"type\":0,\"id\":3,\"data\":\"\",\"game\":\"scripted\",\"name\":\"Ada\","
                + "\"meta\":{\"team\":\"red\"},\"options\":{\"mode\":\"ranked\",\"rounds\":3}}");
        String lobby = creator.awaitJoin();
        assertTrue(SEEN.contains("create " + lobby + " {mode=ranked, rounds=3}"), SEEN.toString());
        assertTrue(SEEN.contains("attempt Ada {team=red} GODOT4"), SEEN.toString());
        LobbyInfo info = server.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                .filter(l -> l.name().equals(lobby)).findFirst().orElseThrow();
        assertEquals(Map.of("mode", "ranked"), info.label(), "the label the game set is listed");

        SignalingClient banned = server.connect();
        banned.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"name\":\"banned\"}");
        assertEquals(new CloseStatus(4000, "You are banned from this game"), banned.awaitClose());
        SignalingClient godot3 = server.connect("/relay/godot3/" + lobby + "?name=old");
        Eventually.await("a Godot 3 relay player is asked about as one",
                () -> SEEN.contains("attempt old {} GODOT3"));
        godot3.close();
        creator.close();
    }

    @Test
    void theGameHearsWhyEachPlayerLeft() throws Exception {
        RelayClient leaver = player("leaver");
        leaver.close(); // 1000
        Eventually.await("a clean close is LEFT", () -> SEEN.contains("leave leaver LEFT"));
        RelayClient lost = player("lost");
        lost.disconnect(); // no close frame
        Eventually.await("a lost connection is DROPPED", () -> SEEN.contains("leave lost DROPPED"));
        RelayClient kicked = player("kicked");
        kicked.send(raw("kick me"));
        CloseStatus status = kicked.awaitClose();
        assertEquals(4000, status.code());
        assertTrue(status.reason().startsWith("Kicked: xxx"), status.reason());
        assertTrue(status.reason().getBytes(StandardCharsets.UTF_8).length <= 123, "a close frame's reason fits");
        Eventually.await("a kick is KICKED", () -> SEEN.contains("leave kicked KICKED"));
        assertEquals(1, SEEN.stream().filter(line -> line.startsWith("leave kicked")).count(), "told once");
    }

    @Test
    void aGameClosesItsLobbyInItsOwnWords() throws Exception {
        RelayClient first = player("first");
        RelayClient second = player("second");
        first.send(raw("close"));
        assertEquals(new CloseStatus(4000, "Round over"), first.awaitClose());
        assertEquals(new CloseStatus(4000, "Round over"), second.awaitClose());
    }
}

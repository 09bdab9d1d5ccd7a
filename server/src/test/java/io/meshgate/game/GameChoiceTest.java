package io.meshgate.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.meshgate.lobby.LobbyInfo;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server offering several games: each dialect with server-hosted lobbies can name the game of a lobby it creates,
 * an unknown game is refused, and a game's own tick rate and player limit hold.
 */
class GameChoiceTest {

    private static final AtomicInteger TURN_TICKS = new AtomicInteger();
    private static final AtomicInteger ALPHA_TICKS = new AtomicInteger();
    private static TestServer server;

    /** A game that only counts its ticks. */
    private static final class Counting extends IdleGame {
        private final AtomicInteger ticks;

        Counting(AtomicInteger ticks) {
            this.ticks = ticks;
        }

        @Override
        public void tick(double dt) {
            ticks.incrementAndGet();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(List.of(GameType.of("alpha", room -> new Counting(ALPHA_TICKS)),
                GameType.of("turns", room -> new Counting(TURN_TICKS), 0, 2)), "--tick-rate", "60");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The game of the open lobby called {@code name}, as the admin page would show it. */
    private static String gameOf(String name) throws Exception {
        return Eventually.value("lobby " + name + " listed", () -> server.server.lobbies().list(1000)
                .get(10, TimeUnit.SECONDS).stream().filter(lobby -> lobby.name().equals(name))
                .map(LobbyInfo::game).findFirst().orElse(null));
    }

    private static String createWithGame(SignalingClient client, String game) throws Exception {
        String join = game == null ? "{\"type\":0,\"id\":3,\"data\":\"\"}"
                : "{\"type\":0,\"id\":1,\"data\":\"\",\"game\":\"" + game + "\"}";
        client.sendRaw(join);
        return client.awaitJoin();
    }

    @Test
    void aGodot4JoinNamesTheGameOfItsLobby() throws Exception {
        SignalingClient named = server.connect();
        assertEquals("turns", gameOf(createWithGame(named, "turns")), "the game key implies server-hosted");
        SignalingClient unnamed = server.connect();
        assertEquals("alpha", gameOf(createWithGame(unnamed, null)), "none named: the first by name");
        named.close();
        unnamed.close();
    }

    @Test
    void anUnknownGameIsRefusedWithTheDocumentedReason() throws Exception {
        SignalingClient client = server.connect();
        client.sendRaw("{\"type\":0,\"id\":3,\"data\":\"\",\"game\":\"chess\"}");
        assertEquals(new CloseStatus(4000, "No such game on this server"), client.awaitClose());
        SignalingClient peerHosted = server.connect();
        peerHosted.sendRaw("{\"type\":0,\"id\":4,\"data\":\"\",\"game\":\"alpha\"}");
        assertEquals(new CloseStatus(4000, "Invalid message format"), peerHosted.awaitClose());
    }

    @Test
    void godot3NamesItsGameInTheUrl() throws Exception {
        SignalingClient client = server.connect("/godot3?hosting=server&game=turns");
        client.sendRaw("J: \n");
        String lobby = null;
        for (int i = 0; i < 5 && lobby == null; i++) {
            String line = client.nextRaw();
            if (line.startsWith("J: ")) {
                lobby = line.substring(3).trim();
            }
        }
        assertEquals("turns", gameOf(lobby));
        SignalingClient peer = server.connect("/godot3?hosting=peer&game=turns");
        assertEquals(new CloseStatus(4000, "Invalid game, a game runs only in a server-hosted lobby"),
                peer.awaitClose());
        client.close();
    }

    @Test
    void relayQuickPlayFillsAGameOnlyUpToItsPlayers() throws Exception {
        RelayClient first = RelayClient.connect(server.jetty, server.port(), "*?game=turns");
        RelayClient second = RelayClient.connect(server.jetty, server.port(), "*?game=turns");
        RelayClient third = RelayClient.connect(server.jetty, server.port(), "*?game=turns");
        first.readId();
        second.readId();
        third.readId();
        List<LobbyInfo> turns = Eventually.value("three players in lobbies of turns", () -> {
            List<LobbyInfo> lobbies = server.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                    .filter(lobby -> "turns".equals(lobby.game())).toList();
            int players = lobbies.stream().mapToInt(lobby -> lobby.members().size() - 1).sum();
            return players == 3 ? lobbies : null;
        });
        assertEquals(2, turns.size(), "two players per lobby at most: " + turns);
        assertNotEquals(turns.get(0).name(), turns.get(1).name());
        RelayClient unknown = RelayClient.connect(server.jetty, server.port(), "*?game=chess");
        assertEquals(new CloseStatus(4000, "No such game on this server"), unknown.awaitClose());
        first.close();
        second.close();
        third.close();
    }

    @Test
    void aGameWithoutATickIsNeverTickedWhileOthersAre() throws Exception {
        RelayClient turnsPlayer = RelayClient.connect(server.jetty, server.port(), "*?game=turns");
        RelayClient alphaPlayer = RelayClient.connect(server.jetty, server.port(), "*?game=alpha");
        turnsPlayer.readId();
        alphaPlayer.readId();
        int before = ALPHA_TICKS.get();
        Eventually.await("alpha ticks", () -> ALPHA_TICKS.get() > before + 10);
        assertEquals(0, TURN_TICKS.get(), "a game with tick rate 0 never ticks");
        turnsPlayer.close();
        alphaPlayer.close();
    }
}

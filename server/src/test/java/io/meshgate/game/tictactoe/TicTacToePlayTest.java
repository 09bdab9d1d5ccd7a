package io.meshgate.game.tictactoe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshgate.lobby.LobbyInfo;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bundled turn-based game as a server offers it: found on the class path beside the arena, chosen with
 * {@code ?game=tictactoe}, two players matched by quick play, played to a win over real sockets.
 */
class TicTacToePlayTest {

    private static void send(RelayClient player, long cell) {
        player.send(ScenePacket.raw(VariantCodec.GODOT4.encode(Map.of("move", cell))));
    }

    /** Moves, and waits until the server has applied it: the two players' packets race on separate sockets. */
    private static void move(RelayClient player, long cell) throws Exception {
        send(player, cell);
        player.await("the state after move " + cell, packet -> RelayClient.decode(packet) instanceof Map<?, ?> m
                && "state".equals(m.get("type")) && !((List<?>) m.get("board")).get((int) cell).equals(0L));
    }

    @Test
    void twoRelayPlayersPlayAGameToItsEnd() throws Exception {
        try (TestServer server = new TestServer()) {
            RelayClient ada = RelayClient.connect(server.jetty, server.port(), "*?game=tictactoe&name=Ada");
            ada.readId();
            assertEquals("x", ada.awaitMessage("welcome").get("mark"));
            RelayClient bob = RelayClient.connect(server.jetty, server.port(), "*?game=tictactoe&name=Bob");
            bob.readId();
            assertEquals("o", bob.awaitMessage("welcome").get("mark"), "quick play seats bob with ada");
            assertEquals(Map.of("x", "Ada", "o", "Bob"), bob.awaitMessage("state").get("players"));
            LobbyInfo lobby = server.server.lobbies().list(10).get(10, TimeUnit.SECONDS).get(0);
            assertEquals("tictactoe", lobby.game());
            assertEquals(Map.of("state", "playing"), lobby.label());

            move(ada, 0);
            move(bob, 3);
            move(ada, 1);
            move(bob, 4);
            send(ada, 2); // x x x across the top
            assertEquals(Map.of("type", "over", "winner", "x", "forfeit", false), bob.awaitMessage("over"));
            assertEquals(Map.of("type", "over", "winner", "x", "forfeit", false), ada.awaitMessage("over"));
            ada.close();
            bob.close();
        }
    }
}

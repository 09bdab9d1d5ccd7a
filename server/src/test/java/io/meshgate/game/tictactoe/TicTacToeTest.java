package io.meshgate.game.tictactoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.meshgate.game.Delivery;
import io.meshgate.game.Engine;
import io.meshgate.game.JoinAttempt;
import io.meshgate.game.LeaveReason;
import io.meshgate.testkit.TestRoom;
import io.meshgate.wire.variant.VariantCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules of the bundled turn-based game, driven directly on one thread. */
class TicTacToeTest {

    private final TestRoom room = new TestRoom();
    private TicTacToe game;
    private TestRoom.TestPlayer ada;
    private TestRoom.TestPlayer bob;

    @BeforeEach
    void seatTwo() {
        game = new TicTacToe(room);
        assertEquals(Map.of("state", "waiting"), room.label());
        ada = room.add(2, "Ada");
        game.onJoin(ada);
        bob = room.add(3, "Bob");
        game.onJoin(bob);
    }

    private void send(TestRoom.TestPlayer player, Object message) {
        game.onPacket(player, Delivery.RELIABLE, VariantCodec.GODOT4.encode(message));
    }

    private static List<?> board(TestRoom.TestPlayer player) {
        return (List<?>) player.last("state").get("board");
    }

    @Test
    void xMovesFirstAndTheFirstLineWins() {
        assertEquals("x", ada.last("welcome").get("mark"));
        assertEquals("o", bob.last("welcome").get("mark"));
        assertEquals("x", ada.last("state").get("turn"));
        assertEquals(Map.of("x", "Ada", "o", "Bob"), ada.last("state").get("players"));
        assertEquals(Map.of("state", "playing"), room.label());
        send(ada, Map.of("move", 0L));
        send(bob, Map.of("move", 3L));
        send(ada, Map.of("move", 1L));
        send(bob, Map.of("move", 4L));
        send(ada, Map.of("move", 2L));
        assertEquals(Map.of("type", "over", "winner", "x", "forfeit", false), bob.last("over"));
        assertEquals(List.of(1L, 1L, 1L, 2L, 2L, 0L, 0L, 0L, 0L), board(bob));
        assertEquals(Map.of("state", "over"), room.label());
        send(bob, Map.of("move", 5L));
        assertEquals("the game is over", bob.last("error").get("reason"));
    }

    @Test
    void movesOutOfTurnOrOnTakenCellsAreRefusedAndChangeNothing() {
        send(bob, Map.of("move", 4L));
        assertEquals("not your turn", bob.last("error").get("reason"));
        send(ada, Map.of("move", 4L));
        send(bob, Map.of("move", 4L));
        assertEquals("cell 4 is not free", bob.last("error").get("reason"));
        send(bob, Map.of("move", 9L));
        assertEquals("cell 9 is not free", bob.last("error").get("reason"));
        send(bob, "nonsense");
        assertEquals("not a dictionary", bob.last("error").get("reason"));
        game.onPacket(bob, Delivery.RELIABLE, new byte[] {1, 2, 3});
        assertEquals("not a Variant", bob.last("error").get("reason"));
        assertEquals(List.of(0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L), board(ada));
        assertEquals("o", ada.last("state").get("turn"), "still o's turn");
    }

    @Test
    void aFullBoardWithoutALineIsADrawAndARematchSwapsMarks() {
        long[] moves = {0, 1, 2, 4, 3, 5, 7, 6, 8}; // x o x / x o o / o x x
        for (int i = 0; i < moves.length; i++) {
            send(i % 2 == 0 ? ada : bob, Map.of("move", moves[i]));
        }
        assertEquals("draw", ada.last("over").get("winner"));
        send(ada, Map.of("rematch", true));
        assertEquals("x", ada.last("welcome").get("mark"), "no new game until both ask");
        send(bob, Map.of("rematch", true));
        assertEquals("o", ada.last("welcome").get("mark"));
        assertEquals("x", bob.last("welcome").get("mark"));
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), board(ada));
        send(bob, Map.of("move", 0L));
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), board(ada), "bob, now x, moves first");
    }

    @Test
    void aPlayerWhoLeavesMidGameForfeitsAndTheSeatIsFree() {
        send(ada, Map.of("move", 0L));
        room.remove(bob);
        game.onLeave(bob, LeaveReason.DROPPED);
        assertEquals(Map.of("type", "over", "winner", "x", "forfeit", true), ada.last("over"));
        assertEquals(Map.of("state", "waiting"), room.label());
        assertNull(game.onJoinAttempt(new JoinAttempt(4, "Cy", Map.of(), Engine.GODOT4)), "a seat is free");
        TestRoom.TestPlayer cy = room.add(4, "Cy");
        game.onJoin(cy);
        assertNotNull(cy.last("welcome"));
        assertEquals("x", cy.last("state").get("turn"), "a new game starts");
        assertEquals("This game has two players already",
                game.onJoinAttempt(new JoinAttempt(5, "Dee", Map.of(), Engine.GODOT4)));
    }
}

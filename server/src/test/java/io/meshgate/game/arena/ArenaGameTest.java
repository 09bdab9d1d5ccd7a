package io.meshgate.game.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.Delivery;
import io.meshgate.testkit.TestRoom;
import io.meshgate.wire.variant.VariantCodec;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The arena's rules on untrusted input, driven directly: no server, one thread, as the game's executor would. */
class ArenaGameTest {

    private final TestRoom room = new TestRoom();
    private final TestRoom.TestPlayer player = room.add(7, "");
    private ArenaGame game;

    @BeforeEach
    void join() {
        game = new ArenaGame(room);
        game.onJoin(player);
        game.tick(0); // publishes the spawn position
    }

    private ArenaGame.View view() {
        return game.view().get(player.id());
    }

    private void send(Delivery delivery, float x, float y, long seq) {
        game.onPacket(player, delivery, VariantCodec.GODOT4.encode(ArenaGame.input(x, y, seq)));
    }

    /** Parks the player in the top-left corner, so that any move right or down has room. */
    private void toCorner() {
        send(Delivery.RELIABLE, -1, -1, 0);
        for (int i = 0; i < 100; i++) {
            game.tick(0.1);
        }
        assertEquals(ArenaGame.PLAYER_RADIUS, view().x(), 0.001f);
        assertEquals(ArenaGame.PLAYER_RADIUS, view().y(), 0.001f);
    }

    @Test
    void aDirectionLongerThanOneMovesAtFullSpeedOnly() {
        toCorner();
        send(Delivery.RELIABLE, 1000, 0, 1);
        game.tick(0.05);
        assertEquals(ArenaGame.PLAYER_RADIUS + 0.05 * ArenaGame.SPEED, view().x(), 0.01f);
    }

    @Test
    void notANumberIsRefusedAndTheLastDirectionKept() {
        send(Delivery.RELIABLE, 0, 1, 1);
        send(Delivery.RELIABLE, Float.NaN, 0, 2);
        send(Delivery.RELIABLE, Float.POSITIVE_INFINITY, 0, 3);
        assertEquals(2, game.ignoredInputs());
        ArenaGame.View before = view();
        game.tick(0.05);
        assertEquals(before.x(), view().x(), 0.001f, "no sideways move from the refused inputs");
        assertEquals(1, view().lastSeq());
    }

    @Test
    void malformedMessagesAreCountedNotApplied() {
        game.onPacket(player, Delivery.RELIABLE, new byte[] {1, 2, 3});
        game.onPacket(player, Delivery.RELIABLE, VariantCodec.GODOT4.encode("move"));
        game.onPacket(player, Delivery.RELIABLE, VariantCodec.GODOT4.encode(Map.of("move", 5L)));
        assertEquals(3, game.ignoredInputs());
        game.tick(0.05);
        assertEquals(-1, view().lastSeq());
    }

    @Test
    void anOlderInputOvertakenOnAnUnreliableChannelIsDropped() {
        toCorner();
        send(Delivery.UNRELIABLE, 1, 0, 5);
        send(Delivery.UNRELIABLE, -1, 0, 4); // arrived late
        game.tick(0);
        assertEquals(5, view().lastSeq());
        game.tick(0.05);
        assertTrue(view().x() > ArenaGame.PLAYER_RADIUS, "still going right");
        send(Delivery.RELIABLE, 0, 0, 3); // reliable inputs arrive in order: a lower number is a client restart
        game.tick(0);
        assertEquals(3, view().lastSeq());
    }

    @Test
    void aLateTickIntegratesAtMostMaxDt() {
        toCorner();
        send(Delivery.RELIABLE, 0, 1, 1);
        game.tick(5.0); // the lobby stalled for five seconds
        assertEquals(ArenaGame.PLAYER_RADIUS + ArenaGame.MAX_DT * ArenaGame.SPEED, view().y(), 0.01f);
    }
}

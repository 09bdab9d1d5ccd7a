package io.meshgate.game;

import java.util.Map;

/**
 * An authoritative game running in one server-hosted lobby, where the server is peer 1.
 *
 * <p>The server calls every method, and the {@link Factory} that makes the game, on the lobby's own serial executor,
 * one at a time and never concurrently, so a game keeps its state in plain fields without locks. Methods must not
 * block: the executor is shared with other lobbies. An exception thrown by a method is logged and the game goes on.
 */
public interface Game {

    /**
     * Right after the game is made, before any player joins: the options the lobby's creator gave (JSON values: a
     * string, a {@code Long}, a {@code Double} or a {@code Boolean} per key; empty when it gave none). Untrusted input:
     * a game that cannot use them may {@link Room#close} with a reason the creator is shown.
     */
    default void onCreate(Map<String, Object> options) {
    }

    /**
     * A client asks to join, before the lobby's members hear of it: null admits it, any other text refuses it, and the
     * client is closed with that text (WebSocket {@code 4000}; cut to 123 bytes). By default every client is admitted
     * while the lobby has room.
     */
    default String onJoinAttempt(JoinAttempt attempt) {
        return null;
    }

    /** A player's connection is open (for WebRTC: all three data channels). */
    void onJoin(Player player);

    /**
     * A player is gone, and can no longer be sent to; called once per player that joined. A player the game kicks is
     * gone at once ({@link Room#players} no longer lists it) and this follows as the game's next call.
     */
    void onLeave(Player player, LeaveReason reason);

    /**
     * A player's connection dropped (a network change, a stalled tab): its seat is held for the server's resume window,
     * and it may come back ({@link #onResume}) with the same id and everything the game keeps for it. Packets sent to
     * it meanwhile are lost. If it does not come back in time, {@link #onLeave} follows with
     * {@link LeaveReason#DROPPED}; never both.
     */
    default void onDrop(Player player) {
    }

    /** A dropped player is back, on a new connection, as the same {@link Player}. */
    default void onResume(Player player) {
    }

    /**
     * A packet from a player: the payload of {@code multiplayer.send_bytes(payload, 1, mode)}. Its content is
     * untrusted input: decode it strictly.
     */
    void onPacket(Player player, Delivery delivery, byte[] payload);

    /**
     * Advances the simulation; {@code dt} is the time since the last tick, in seconds. Never called for a game whose
     * {@link GameType#tickRate} is 0.
     */
    default void tick(double dt) {
    }

    /**
     * In a lobby the matchmaker made: {@code count} players placed here did not come within the seat hold, and their
     * seats are free. A game waiting for a full table may start without them, or {@link Room#close}.
     */
    default void onSeatsReleased(int count) {
    }

    /** The lobby is closing; the game gets no more calls. */
    default void onDispose() {
    }

    /** Creates one game per server-hosted lobby. */
    @FunctionalInterface
    interface Factory {
        /**
         * Called on the lobby's executor as the lobby opens, before any player joins; like every game method it must
         * not block. A factory that throws leaves the lobby without a game (logged), not the server.
         */
        Game create(Room room);
    }
}

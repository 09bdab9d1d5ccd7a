package io.meshgate.game;

/**
 * An authoritative game running in one server-hosted lobby, where the server is peer 1.
 *
 * <p>The server calls every method, and the {@link Factory} that makes the game, on the lobby's own serial executor,
 * one at a time and never concurrently, so a game keeps its state in plain fields without locks. Methods must not
 * block: the executor is shared with other lobbies. An exception thrown by a method is logged and the game goes on.
 */
public interface Game {

    /** A player's connection is open (for WebRTC: all three data channels). */
    void onJoin(Player player);

    /** A player left, disconnected or was kicked; it can no longer be sent to. */
    void onLeave(Player player);

    /**
     * A packet from a player: the payload of {@code multiplayer.send_bytes(payload, 1, mode)}. Its content is
     * untrusted input: decode it strictly.
     */
    void onPacket(Player player, Delivery delivery, byte[] payload);

    /** Advances the simulation; {@code dt} is the time since the last tick, in seconds. */
    void tick(double dt);

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

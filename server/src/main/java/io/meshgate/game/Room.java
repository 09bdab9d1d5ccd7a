package io.meshgate.game;

import java.util.Collection;

/**
 * The lobby a game runs in, as the game sees it: its players and how to reach them all. In Meshgate's words a
 * <em>room</em> is only this: the game's view of its lobby. Use it only on the game's thread (the lobby's executor).
 */
public interface Room {

    String name();

    /** Players whose connection is open, in the order they joined. */
    Collection<Player> players();

    /** Sends a packet to every player. */
    void broadcast(Delivery delivery, byte[] payload);

    /** Ticks per second of this room's {@link Game#tick}, or 0 for a game without a tick. */
    int tickRate();
}

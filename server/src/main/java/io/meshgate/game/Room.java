package io.meshgate.game;

import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;

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

    /** Sends a packet to the players {@code to} accepts: all but one, a team, those in range. */
    void broadcast(Delivery delivery, byte[] payload, Predicate<Player> to);

    /**
     * Closes the lobby: every player is disconnected with {@code reason} (a {@code 4000} close; cut to 123 bytes), and
     * the game gets {@link Game#onDispose} and no further calls. Also the way to refuse the creator's options.
     */
    void close(String reason);

    /**
     * Replaces what the game says of itself in lobby listings (a map, a mode, a score): at most 16 entries, keys of
     * 1 to 32 characters and values of at most 128; anything more throws {@link IllegalArgumentException}.
     */
    void setLabel(Map<String, String> label);

    /** What {@link #setLabel} last set; empty at first. */
    Map<String, String> label();

    /** Ticks per second of this room's {@link Game#tick}, or 0 for a game without a tick. */
    int tickRate();
}

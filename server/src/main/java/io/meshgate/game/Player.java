package io.meshgate.game;

import java.util.Map;

/** A client in a game, as the game sees it. Use it only on the game's thread (the lobby's executor). */
public interface Player {

    /** The id the client has in the lobby (2..2^31-1); the server is 1. */
    int id();

    /**
     * The name the client gave when it joined, or "" (what a client says of itself: untrusted, at most 32 chars); with
     * authentication on, the name its token gave, if the token has one.
     */
    String name();

    /** The metadata the client gave when it joined (untrusted; at most 16 entries), or an empty map. */
    Map<String, String> metadata();

    /** The Godot version the client runs. */
    Engine engine();

    /**
     * Who the client is, as its signed token proved (the token's {@code sub}), or "" when the server does not
     * authenticate: the key for bans, stats and one seat per user.
     */
    default String userId() {
        return "";
    }

    /** Sends a packet; it arrives in GDScript as {@code multiplayer.peer_packet(1, payload)}. */
    void send(Delivery delivery, byte[] payload);

    /**
     * Disconnects the client from the game and its lobby, telling it why (a {@code 4000} close; cut to 123 bytes). The
     * player is gone at once: not in {@link Room#players}, sends to it are dropped, and {@link Game#onLeave} with
     * {@link LeaveReason#KICKED} follows as the game's next call.
     */
    void kick(String reason);
}

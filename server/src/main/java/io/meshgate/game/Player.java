package io.meshgate.game;

/** A client in a game, as the game sees it. Use it only on the game's thread (the lobby's executor). */
public interface Player {

    /** The id the client has in the lobby (2..2^31-1); the server is 1. */
    int id();

    /** Sends a packet; it arrives in GDScript as {@code multiplayer.peer_packet(1, payload)}. */
    void send(Delivery delivery, byte[] payload);

    /** Disconnects the client from the game and its lobby, telling it why. */
    void kick(String reason);
}

package io.meshgate.host;

import io.meshgate.game.Delivery;

/**
 * How the server, as peer 1, reaches one client of a server-hosted lobby: one implementation per transport and
 * engine (WebRTC or the WebSocket relay; Godot 4 or Godot 3), each writing its own wire format. What a client sends
 * goes the other way, into the lobby's {@link Router}.
 *
 * <p>Every method is called on the lobby's serial executor and must not block.
 */
public interface Link {

    /** Game data for the client, as the game wrote it (a Variant in Godot 4's encoding, or the game's own bytes). */
    void send(Delivery delivery, byte[] data);

    /** Another client became reachable through peer 1 (SceneMultiplayer's ADD_PEER). */
    void peerAdded(int id);

    /** A client announced by {@link #peerAdded} is gone (DEL_PEER). */
    void peerRemoved(int id);

    /** Another client's packet that peer 1 delivers to this one (SceneMultiplayer's SYS RELAY). */
    void fannedOut(FanOut packet);

    /** The client left or was replaced: release the transport; no more calls follow. */
    void close();
}

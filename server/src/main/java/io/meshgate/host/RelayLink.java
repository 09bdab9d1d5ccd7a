package io.meshgate.host;

/**
 * A player's transport when it plays through the server instead of over WebRTC: a WebSocket carrying Godot's
 * SceneMultiplayer packets. Implemented by the relay endpoints; called on the lobby's executor.
 */
public interface RelayLink {

    /** Sends one SceneMultiplayer packet; {@code droppable} marks unreliable traffic a slow reader may lose. */
    void send(byte[] packet, boolean droppable);
}

package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.wire.godot4.ScenePacket;

/**
 * A link to a Godot 4 client, whatever carries it: everything it is sent is a SceneMultiplayer packet, written raw,
 * as both {@code WebRTCMultiplayerPeer} and {@code WebSocketMultiplayerPeer} expect. An implementation only says how
 * a packet is written.
 */
public interface Godot4Link extends Link {

    /** Writes one SceneMultiplayer packet the way {@code delivery} asks. */
    void write(Delivery delivery, byte[] packet);

    @Override
    default void send(Delivery delivery, byte[] data) {
        write(delivery, ScenePacket.raw(data));
    }

    @Override
    default void peerAdded(int id) {
        write(Delivery.RELIABLE, ScenePacket.addPeer(id));
    }

    @Override
    default void peerRemoved(int id) {
        write(Delivery.RELIABLE, ScenePacket.delPeer(id));
    }

    @Override
    default void fannedOut(FanOut packet) {
        write(packet.delivery(), packet.godot4Packet());
    }
}

package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.wire.godot4.ScenePacket;

/** A Godot 4 client over WebRTC: SceneMultiplayer packets, raw on the channels ({@code WebRTCMultiplayerPeer}). */
final class Godot4RtcLink extends RtcLink {

    private final int id;
    private final Router router;

    Godot4RtcLink(int id, RtcConnection connection, Router router, Runnable tooSlow) {
        super(connection, tooSlow);
        this.id = id;
        this.router = router;
    }

    @Override
    void received(Channel channel, byte[] message) {
        router.received(id, deliveryOf(channel), message);
    }

    @Override
    public void send(Delivery delivery, byte[] data) {
        write(delivery, ScenePacket.raw(data));
    }

    @Override
    public void peerAdded(int peer) {
        write(Delivery.RELIABLE, ScenePacket.addPeer(peer));
    }

    @Override
    public void peerRemoved(int peer) {
        write(Delivery.RELIABLE, ScenePacket.delPeer(peer));
    }

    @Override
    public void fannedOut(FanOut packet) {
        write(packet.delivery(), packet.godot4Packet());
    }
}

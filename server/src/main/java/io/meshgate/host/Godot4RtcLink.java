package io.meshgate.host;

import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;

/** A Godot 4 client over WebRTC: SceneMultiplayer packets, raw on the channels ({@code WebRTCMultiplayerPeer}). */
final class Godot4RtcLink extends RtcLink implements Godot4Link {

    Godot4RtcLink(int id, RtcConnection connection, Router router, Runnable tooSlow) {
        super(id, connection, router, tooSlow);
    }

    @Override
    public void received(Channel channel, byte[] message) {
        router.received(id, deliveryOf(channel), message);
    }
}

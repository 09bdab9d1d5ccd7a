package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot3.MultiplayerPacket;
import io.meshgate.wire.godot3.Translation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Godot 3 client over WebRTC: Godot 3's multiplayer packets, whose game data (RAW) is translated to and from Godot
 * 4's Variants so that the game sees every client alike. Godot 3 has no system messages and no fan-out through peer 1,
 * so a Godot 3 client is told nothing of other clients.
 */
final class Godot3RtcLink extends RtcLink {

    private static final Logger LOG = LoggerFactory.getLogger(Godot3RtcLink.class);

    Godot3RtcLink(int id, RtcConnection connection, Router router, Runnable tooSlow) {
        super(id, connection, router, tooSlow);
    }

    @Override
    public void received(Channel channel, byte[] message) {
        try {
            byte[] data = MultiplayerPacket.rawData(message);
            if (data == null) {
                LOG.debug("Peer {}: ignoring a Godot 3 RPC; only send_bytes data reaches the game", id);
            } else {
                router.data(id, deliveryOf(channel), Translation.toGodot4(data));
            }
        } catch (MalformedMessageException e) {
            router.malformed(id, e.getMessage());
        }
    }

    @Override
    public void send(Delivery delivery, byte[] data) {
        write(delivery, MultiplayerPacket.raw(Translation.toGodot3(data)));
    }

    @Override
    public void peerAdded(int peer) {
        // Godot 3 clients in server compatibility mode know only the server
    }

    @Override
    public void peerRemoved(int peer) {
    }

    @Override
    public void fannedOut(FanOut packet) {
        // Godot 3 has no fan-out through peer 1: what another client (a relay player) fans out cannot reach it
    }
}

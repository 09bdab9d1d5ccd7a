package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;

/**
 * A client reached over WebRTC: Godot's three data channels, one per {@link Delivery}. Subclasses write and read
 * their engine's packets on them. Called on the lobby's executor.
 */
abstract class RtcLink implements Link, Handshake.Channels {

    /** The client's id in its lobby. */
    final int id;
    /** Where what the client sends goes. */
    final Router router;
    private final RtcConnection connection;
    /** Removes the client with a reason: reliable data that cannot be queued would be lost silently. */
    private final Runnable tooSlow;

    RtcLink(int id, RtcConnection connection, Router router, Runnable tooSlow) {
        this.id = id;
        this.router = router;
        this.connection = connection;
        this.tooSlow = tooSlow;
    }

    /** A message from the client on one of Godot's channels, as its transport delivered it. */
    @Override
    public abstract void received(Channel channel, byte[] message);

    /** Writes one packet on the channel of {@code delivery}. */
    public final void write(Delivery delivery, byte[] packet) {
        if (!connection.send(channelOf(delivery), packet) && delivery == Delivery.RELIABLE) {
            tooSlow.run();
        }
    }

    @Override
    public final void close() {
        connection.close();
    }

    static Delivery deliveryOf(Channel channel) {
        return switch (channel) {
            case RELIABLE -> Delivery.RELIABLE;
            case ORDERED -> Delivery.ORDERED;
            case UNRELIABLE -> Delivery.UNRELIABLE;
        };
    }

    static Channel channelOf(Delivery delivery) {
        return switch (delivery) {
            case RELIABLE -> Channel.RELIABLE;
            case ORDERED -> Channel.ORDERED;
            case UNRELIABLE -> Channel.UNRELIABLE;
        };
    }
}

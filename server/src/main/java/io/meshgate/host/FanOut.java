package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.ScenePacket;

/**
 * A client's packet that peer 1 delivers to other clients (Godot's SYS RELAY, the peer-1 fan-out): made once by the
 * router, then written by each recipient's link in its own form. Lives on the lobby's executor only.
 */
public final class FanOut {

    private final int from;
    private final Delivery delivery;
    private final byte[] packet;
    private byte[] framed;
    private byte[] data;
    private boolean read;

    /** {@code packet} is the SceneMultiplayer packet the sender asked peer 1 to deliver. */
    FanOut(int from, Delivery delivery, byte[] packet) {
        this.from = from;
        this.delivery = delivery;
        this.packet = packet;
    }

    /** The sender's id in the lobby. */
    public int from() {
        return from;
    }

    public Delivery delivery() {
        return delivery;
    }

    /**
     * The game data it carries ({@code send_bytes}), or null when it is something only a Godot 4 scene tree
     * understands (an RPC) or not a packet at all. Read once, when a recipient first asks.
     */
    public byte[] data() {
        if (!read) {
            read = true;
            try {
                ScenePacket inner = ScenePacket.decode(packet);
                data = inner.kind() == ScenePacket.Kind.RAW ? inner.payload() : null;
            } catch (MalformedMessageException e) {
                data = null;
            }
        }
        return data;
    }

    /** As a Godot 4 client receives it, {@code [07 03][i32 from][packet]}; built once for all recipients. */
    public byte[] godot4Packet() {
        if (framed == null) {
            framed = ScenePacket.fanOut(from, packet);
        }
        return framed;
    }
}

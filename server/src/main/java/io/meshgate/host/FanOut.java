package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.wire.godot4.ScenePacket;

/**
 * A client's packet that peer 1 delivers to other clients (Godot's SYS RELAY, the peer-1 fan-out): read once by the
 * router, then written by each recipient's link in its own form. Lives on the lobby's executor only.
 */
public final class FanOut {

    private final int from;
    private final Delivery delivery;
    private final byte[] packet;
    private final byte[] data;
    private byte[] framed;

    /**
     * @param packet the SceneMultiplayer packet the sender asked peer 1 to deliver
     * @param data that packet's game data when it is RAW ({@code send_bytes}), else null
     */
    FanOut(int from, Delivery delivery, byte[] packet, byte[] data) {
        this.from = from;
        this.delivery = delivery;
        this.packet = packet;
        this.data = data;
    }

    /** The sender's id in the lobby. */
    public int from() {
        return from;
    }

    public Delivery delivery() {
        return delivery;
    }

    /** The game data it carries, or null when it is something only a Godot 4 scene tree understands (an RPC). */
    public byte[] data() {
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

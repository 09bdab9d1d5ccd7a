package io.meshgate.wire.godot3;

import io.meshgate.wire.MalformedMessageException;

/**
 * A packet of Godot 3's high-level multiplayer as it travels over WebRTCMultiplayer (unframed): a command byte, then
 * its body. Commands 0-3 are RPCs, property sets and path caching, which only a Godot scene tree can answer; 4 is
 * RAW, the bytes of {@code send_bytes} that a server game reads. Godot 3 has no system messages (no ADD/DEL_PEER, no
 * fan-out through peer 1).
 */
public final class MultiplayerPacket {

    /** Godot 3's NETWORK_COMMAND_RAW. */
    public static final int RAW = WebSocketFrame.CMD_RAW;

    private MultiplayerPacket() {
    }

    /** {@code send_bytes} data as the packet that carries it. */
    public static byte[] raw(byte[] data) {
        byte[] packet = new byte[data.length + 1];
        packet[0] = (byte) RAW;
        System.arraycopy(data, 0, packet, 1, data.length);
        return packet;
    }

    /**
     * The data of a RAW packet, or null for an RPC-family packet (commands 0-3) that a game server does not act on.
     *
     * @throws MalformedMessageException for an empty packet or a command Godot 3 does not have
     */
    public static byte[] rawData(byte[] packet) throws MalformedMessageException {
        if (packet.length == 0) {
            throw new MalformedMessageException("empty packet");
        }
        int command = packet[0] & 0xff;
        if (command < RAW) {
            return null;
        }
        if (command > RAW) {
            throw new MalformedMessageException("unknown Godot 3 multiplayer command " + command);
        }
        byte[] data = new byte[packet.length - 1];
        System.arraycopy(packet, 1, data, 0, data.length);
        return data;
    }
}

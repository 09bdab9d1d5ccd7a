package io.meshgate.wire.godot4;

import io.meshgate.wire.MalformedMessageException;
import java.util.Arrays;

/**
 * The packets Godot 4's SceneMultiplayer puts on a MultiplayerPeer, as far as an authoritative peer 1 needs them.
 *
 * <p>The low three bits of the first byte are the command: 3 RAW ({@code [03][payload]}, what
 * {@code multiplayer.send_bytes} sends and {@code peer_packet} receives) and 7 SYS ({@code [07][sub][i32 LE peer]...}
 * with sub 0 AUTH, 1 ADD_PEER, 2 DEL_PEER, 3 RELAY). Everything else (RPC, path caching, spawn, sync) is reported as
 * {@link Kind#OTHER} for the caller to ignore.
 */
public record ScenePacket(Kind kind, int peer, byte[] payload) {

    /** What a packet is. */
    public enum Kind { RAW, AUTH, ADD_PEER, DEL_PEER, FAN_OUT, OTHER }

    public static final int CMD_RAW = 3;
    public static final int CMD_SYS = 7;
    public static final int SYS_AUTH = 0;
    public static final int SYS_ADD_PEER = 1;
    public static final int SYS_DEL_PEER = 2;
    public static final int SYS_RELAY = 3;
    private static final int CMD_MASK = 0x07;
    private static final int SYS_HEADER = 6;

    /** Parses one packet; {@code peer} is the SYS peer field, 0 where there is none. */
    public static ScenePacket decode(byte[] packet) throws MalformedMessageException {
        if (packet.length == 0) {
            throw new MalformedMessageException("empty packet");
        }
        int command = packet[0] & CMD_MASK;
        if (command == CMD_RAW) {
            if (packet.length < 2) {
                throw new MalformedMessageException("RAW packet without payload");
            }
            return new ScenePacket(Kind.RAW, 0, Arrays.copyOfRange(packet, 1, packet.length));
        }
        if (command != CMD_SYS) {
            return new ScenePacket(Kind.OTHER, 0, packet);
        }
        if (packet.length < 2) {
            throw new MalformedMessageException("SYS packet without a sub-command");
        }
        int sub = packet[1] & 0xFF;
        if (sub == SYS_AUTH) {
            return new ScenePacket(Kind.AUTH, 0, Arrays.copyOfRange(packet, 2, packet.length));
        }
        if (packet.length < SYS_HEADER) {
            throw new MalformedMessageException("SYS packet of " + packet.length + " bytes, header needs 6");
        }
        int peer = (packet[2] & 0xFF) | (packet[3] & 0xFF) << 8 | (packet[4] & 0xFF) << 16 | (packet[5] & 0xFF) << 24;
        return switch (sub) {
            case SYS_ADD_PEER -> new ScenePacket(Kind.ADD_PEER, peer, new byte[0]);
            case SYS_DEL_PEER -> new ScenePacket(Kind.DEL_PEER, peer, new byte[0]);
            case SYS_RELAY -> {
                if (packet.length == SYS_HEADER) {
                    throw new MalformedMessageException("RELAY (fan-out) packet without payload");
                }
                yield new ScenePacket(Kind.FAN_OUT, peer, Arrays.copyOfRange(packet, SYS_HEADER, packet.length));
            }
            default -> throw new MalformedMessageException("unknown SYS sub-command " + sub);
        };
    }

    /** {@code [03][payload]}: what arrives in GDScript as {@code peer_packet(id, payload)}. */
    public static byte[] raw(byte[] payload) {
        byte[] packet = new byte[payload.length + 1];
        packet[0] = CMD_RAW;
        System.arraycopy(payload, 0, packet, 1, payload.length);
        return packet;
    }

    public static byte[] addPeer(int peer) {
        return sys(SYS_ADD_PEER, peer, new byte[0]);
    }

    public static byte[] delPeer(int peer) {
        return sys(SYS_DEL_PEER, peer, new byte[0]);
    }

    /**
     * A fan-out packet ({@code [07 03][i32 peer][packet]}): sent by a client, {@code peer} is the destination (0 all,
     * -n all but n); delivered by peer 1, it is the source.
     */
    public static byte[] fanOut(int peer, byte[] inner) {
        return sys(SYS_RELAY, peer, inner);
    }

    private static byte[] sys(int sub, int peer, byte[] tail) {
        byte[] packet = new byte[SYS_HEADER + tail.length];
        packet[0] = CMD_SYS;
        packet[1] = (byte) sub;
        packet[2] = (byte) peer;
        packet[3] = (byte) (peer >> 8);
        packet[4] = (byte) (peer >> 16);
        packet[5] = (byte) (peer >> 24);
        System.arraycopy(tail, 0, packet, SYS_HEADER, tail.length);
        return packet;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScenePacket p && p.kind == kind && p.peer == peer && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + peer * 17 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ScenePacket[" + kind + " peer=" + peer + " " + payload.length + " bytes]";
    }
}

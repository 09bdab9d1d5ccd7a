package io.meshgate.wire.godot3;

import io.meshgate.wire.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One binary frame of Godot 3.2's WebSocket multiplayer ({@code WebSocketClient} as {@code network_peer}): a 9-byte
 * header {@code type:u8 from:i32 to:i32} (little-endian) and a payload. For {@link #PAYLOAD} frames the payload is a
 * Godot 3 multiplayer packet whose first byte is the command ({@link #CMD_RAW} for {@code send_bytes}); the system
 * frames carry a 4-byte peer id. {@code to} is 1 for the server, 0 for everyone, {@code -n} for everyone but n.
 */
public record WebSocketFrame(int type, int from, int to, byte[] payload) {

    public static final int PAYLOAD = 0;
    public static final int SYS_ADD = 1;
    public static final int SYS_DEL = 2;
    public static final int SYS_ID = 3;
    /** Godot 3 multiplayer commands: 0 CALL, 1 SET, 2 SIMPLIFY_PATH, 3 CONFIRM_PATH, 4 RAW. */
    public static final int CMD_RAW = 4;
    public static final int HEADER = 9;

    /** Reads a frame a client sent; refuses short frames and types a client may not send. */
    public static WebSocketFrame decode(byte[] frame) throws MalformedMessageException {
        if (frame.length < HEADER) {
            throw new MalformedMessageException("frame of " + frame.length + " bytes, shorter than the 9-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int type = in.get() & 0xFF;
        if (type != PAYLOAD) {
            throw new MalformedMessageException("frame type " + type + ", which only the server sends");
        }
        return new WebSocketFrame(type, in.getInt(), in.getInt(), Arrays.copyOfRange(frame, HEADER, frame.length));
    }

    /** A game packet from {@code from} to {@code to} carrying {@code send_bytes} data. */
    public static byte[] raw(int from, int to, byte[] data) {
        byte[] payload = new byte[data.length + 1];
        payload[0] = CMD_RAW;
        System.arraycopy(data, 0, payload, 1, data.length);
        return new WebSocketFrame(PAYLOAD, from, to, payload).encode();
    }

    /** A system frame from the server ({@link #SYS_ID}, {@link #SYS_ADD}, {@link #SYS_DEL}) about {@code peer}. */
    public static byte[] system(int type, int peer) {
        byte[] id = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(peer).array();
        return new WebSocketFrame(type, 1, 0, id).encode();
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) type).putInt(from).putInt(to).put(payload).array();
    }

    /** True for a {@code send_bytes} packet; its data is {@link #rawData()}. */
    public boolean isRaw() {
        return type == PAYLOAD && payload.length > 0 && payload[0] == CMD_RAW;
    }

    public byte[] rawData() {
        return Arrays.copyOfRange(payload, 1, payload.length);
    }
}

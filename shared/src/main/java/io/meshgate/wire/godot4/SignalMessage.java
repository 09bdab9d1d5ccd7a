package io.meshgate.wire.godot4;

/**
 * One message of Godot 4's WebRTC signaling protocol: {@code {"type":int,"id":int,"data":string}}.
 *
 * <p>The meaning of {@code id} depends on the type and direction (docs/protocol.md): the mesh flag on a client's JOIN,
 * the assigned id on ID, the other peer on PEER_CONNECT/PEER_DISCONNECT, and the destination (when sent) or the
 * source (when delivered) on OFFER/ANSWER/CANDIDATE.
 *
 * <p>{@code game} is Meshgate's one addition, an optional {@code "game"} key on a client's JOIN that creates a
 * server-hosted lobby: the game it runs. Godot's own server ignores the key; null when absent.
 */
public record SignalMessage(int type, int id, String data, String game) {

    public static final int JOIN = 0;
    public static final int ID = 1;
    public static final int PEER_CONNECT = 2;
    public static final int PEER_DISCONNECT = 3;
    public static final int OFFER = 4;
    public static final int ANSWER = 5;
    public static final int CANDIDATE = 6;
    public static final int SEAL = 7;

    public SignalMessage {
        if (type < 0 || id < 0) {
            throw new IllegalArgumentException("type and id must be non-negative: type=" + type + " id=" + id);
        }
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }

    /** A message without a game, as every message but a creating JOIN is. */
    public SignalMessage(int type, int id, String data) {
        this(type, id, data, null);
    }
}

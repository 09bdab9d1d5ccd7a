package io.meshgate.wire.godot4;

/**
 * One message of Godot 4's WebRTC signaling protocol: {@code {"type":int,"id":int,"data":string}}.
 *
 * <p>The meaning of {@code id} depends on the type and direction (docs/protocol.md): the mesh flag on a client's JOIN,
 * the assigned id on ID, the other peer on PEER_CONNECT/PEER_DISCONNECT, and the destination (when sent) or the
 * source (when delivered) on OFFER/ANSWER/CANDIDATE.
 *
 * <p>{@code join} holds Meshgate's additions to a client's JOIN (see {@link Join}), keys Godot's own server ignores;
 * {@link Join#NONE} on every other message. {@code query} is a LIST's, null on every other message.
 */
public record SignalMessage(int type, int id, String data, Join join, Query query) {

    public static final int JOIN = 0;
    public static final int ID = 1;
    public static final int PEER_CONNECT = 2;
    public static final int PEER_DISCONNECT = 3;
    public static final int OFFER = 4;
    public static final int ANSWER = 5;
    public static final int CANDIDATE = 6;
    public static final int SEAL = 7;
    /** Meshgate's: a client asks for a page of public lobbies (see {@link Query}). */
    public static final int LIST = 100;
    /** Meshgate's: the server's answer to LIST, a page of {@link Listing}s. */
    public static final int LOBBIES = 101;

    public SignalMessage {
        if (type < 0 || id < 0) {
            throw new IllegalArgumentException("type and id must be non-negative: type=" + type + " id=" + id);
        }
        if (data == null || join == null) {
            throw new IllegalArgumentException("data and join must not be null");
        }
    }

    /** A message without Meshgate's additions, as every message but a JOIN or a LIST is. */
    public SignalMessage(int type, int id, String data) {
        this(type, id, data, Join.NONE, null);
    }

    /** A JOIN with Meshgate's additions. */
    public SignalMessage(int type, int id, String data, Join join) {
        this(type, id, data, join, null);
    }

    /** The game a creating JOIN asks for, or null. */
    public String game() {
        return join.game();
    }
}

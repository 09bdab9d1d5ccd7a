package io.meshgate.wire.godot4;

/**
 * One message of Godot 4's WebRTC signaling protocol: {@code {"type":int,"id":int,"data":string}}.
 *
 * <p>The meaning of {@code id} depends on the type and direction (docs/protocol.md): the mesh flag on a client's JOIN,
 * the assigned id on ID, the other peer on PEER_CONNECT/PEER_DISCONNECT, and the destination (when sent) or the
 * source (when delivered) on OFFER/ANSWER/CANDIDATE.
 *
 * <p>{@code extra} holds what Meshgate reads beyond those three keys (see {@link Extra}); {@link Join#NONE} on a
 * message that has nothing more.
 */
public record SignalMessage(int type, int id, String data, Extra extra) {

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
    /** Meshgate's: a client asks to be matched (see {@link TicketRequest}); its {@code id} names the ticket. */
    public static final int TICKET = 102;
    /** Meshgate's: where a client's ticket stands, or how it ended; {@code id} is the ticket's. */
    public static final int TICKET_STATUS = 103;
    /** Meshgate's: a client withdraws its ticket {@code id}. */
    public static final int CANCEL = 104;

    public SignalMessage {
        if (type < 0 || id < 0) {
            throw new IllegalArgumentException("type and id must be non-negative: type=" + type + " id=" + id);
        }
        if (data == null || extra == null) {
            throw new IllegalArgumentException("data and extra must not be null");
        }
    }

    /** A message without Meshgate's additions. */
    public SignalMessage(int type, int id, String data) {
        this(type, id, data, Join.NONE);
    }

    /** A JOIN's additions; {@link Join#NONE} for any other message. */
    public Join join() {
        return extra instanceof Join join ? join : Join.NONE;
    }

    /** A LIST's query, or null. */
    public Query query() {
        return extra instanceof Query query ? query : null;
    }

    /** A TICKET's request, or null. */
    public TicketRequest ticket() {
        return extra instanceof TicketRequest ticket ? ticket : null;
    }

    /** The game a creating JOIN asks for, or null. */
    public String game() {
        return join().game();
    }
}

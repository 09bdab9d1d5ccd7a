package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * A signal between a lobby and one of its members on another node: from the member's node, what the member sent
 * (its {@code peer} is the destination id); from the lobby's node, what the member is to receive (its {@code peer} is
 * the source id, rewritten as on one node). Format 2 adds {@link Kinds#PACKET}: game traffic between a relay player
 * and its lobby's game, in {@code data}.
 */
public final class Relay {

    @Tag(1)
    private final String lobby;
    @Tag(2)
    private final String member;
    /** The signal's kind, as {@link Kinds} numbers them. */
    @Tag(3)
    private final int kind;
    @Tag(4)
    private final int peer;
    @Tag(5)
    private final String payload;
    /** For {@link Kinds#PACKET}: the packet, as the relay player's engine frames it. */
    @Tag(6)
    private final byte[] data;

    public Relay(String lobby, String member, int kind, int peer, String payload) {
        this(lobby, member, kind, peer, payload, null);
    }

    private Relay(String lobby, String member, int kind, int peer, String payload, byte[] data) {
        this.lobby = lobby;
        this.member = member;
        this.kind = kind;
        this.peer = peer;
        this.payload = payload;
        this.data = data;
    }

    /**
     * A {@link Kinds#PACKET} of game traffic for the relay player {@code member} of the lobby, or from it; {@code
     * delivery} (in {@code peer}) is how the game sent it, as the game API numbers deliveries (0 from the player).
     */
    public static Relay packet(String lobby, String member, int delivery, byte[] data) {
        return new Relay(lobby, member, Kinds.PACKET, delivery, null, data);
    }

    /** For Kryo, which sets the fields. */
    private Relay() {
        this(null, null, 0, 0, null, null);
    }

    public byte[] data() {
        return data;
    }

    public String lobby() {
        return lobby;
    }

    public String member() {
        return member;
    }

    public int kind() {
        return kind;
    }

    public int peer() {
        return peer;
    }

    public String payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "Relay[lobby=" + lobby + ", member=" + member + ", kind=" + kind + ", peer=" + peer + ", "
                + (payload == null ? 0 : payload.length()) + " chars]";
    }

    /** The kinds of signal, numbered for the wire: numbers are never reused. */
    public static final class Kinds {
        public static final int OFFER = 1;
        public static final int ANSWER = 2;
        public static final int CANDIDATE = 3;
        public static final int MESSAGE = 4;
        /** Format 2: game traffic of a relay player, in {@code data}. */
        public static final int PACKET = 5;

        private Kinds() {
        }
    }
}

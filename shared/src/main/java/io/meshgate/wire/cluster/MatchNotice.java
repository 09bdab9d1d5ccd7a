package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * Format 2: what the cluster's matchmaker tells the node of a ticket's owner, which tells its client: the ticket
 * waits, its party gathers, it matched, or it ended unmatched.
 */
public final class MatchNotice {

    /** {@code count}: players in reach; {@code later}: ms until it settles for fewer. */
    public static final int WAITING = 1;
    /** {@code count}: party members here; {@code later}: the party's size. */
    public static final int GATHERING = 2;
    /** {@code lobby}, {@code seat}, {@code peerHosted}: where to go and what to show. */
    public static final int MATCHED = 3;
    /** {@code ending}: cancelled, expired or refused; {@code reason}: why, or null. */
    public static final int ENDED = 4;

    @Tag(1)
    private final String member;
    @Tag(2)
    private final int number;
    @Tag(3)
    private final int state;
    @Tag(4)
    private final int count;
    @Tag(5)
    private final long later;
    @Tag(6)
    private final String lobby;
    @Tag(7)
    private final String seat;
    @Tag(8)
    private final boolean peerHosted;
    @Tag(9)
    private final String ending;
    @Tag(10)
    private final String reason;

    public MatchNotice(String member, int number, int state, int count, long later, String lobby, String seat,
                       boolean peerHosted, String ending, String reason) {
        this.member = member;
        this.number = number;
        this.state = state;
        this.count = count;
        this.later = later;
        this.lobby = lobby;
        this.seat = seat;
        this.peerHosted = peerHosted;
        this.ending = ending;
        this.reason = reason;
    }

    /** For Kryo, which sets the fields. */
    private MatchNotice() {
        this(null, 0, 0, 0, 0, null, null, false, null, null);
    }

    public String member() {
        return member;
    }

    public int number() {
        return number;
    }

    public int state() {
        return state;
    }

    public int count() {
        return count;
    }

    public long later() {
        return later;
    }

    public String lobby() {
        return lobby;
    }

    public String seat() {
        return seat;
    }

    public boolean peerHosted() {
        return peerHosted;
    }

    public String ending() {
        return ending;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MatchNotice[member=" + member + ", number=" + number + ", state=" + state + "]";
    }
}

package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * Format 2: a node's client's matchmaking ticket, sent to the node that runs the cluster's matchmaker: submitted,
 * cancelled, or forgotten (its connection closed). The matchmaker answers with {@link MatchNotice}s.
 */
public final class MatchTicket {

    public static final int SUBMIT = 1;
    public static final int CANCEL = 2;
    /** Every ticket of the member ends: its connection closed. */
    public static final int FORGET = 3;

    @Tag(1)
    private final int action;
    /** {@code <node id>/<peer id>}: the ticket's owner as its node knows it. */
    @Tag(2)
    private final String member;
    /** The client's own number for the ticket. */
    @Tag(3)
    private final int number;
    @Tag(4)
    private final String origin;
    @Tag(5)
    private final String game;
    /** The ticket's properties as a JSON object of strings. */
    @Tag(6)
    private final String properties;
    @Tag(7)
    private final double skill;
    @Tag(8)
    private final int min;
    @Tag(9)
    private final int max;
    @Tag(10)
    private final int countMultiple;
    @Tag(11)
    private final String party;
    @Tag(12)
    private final int partySize;
    @Tag(13)
    private final boolean peerHosted;
    @Tag(14)
    private final boolean mesh;

    public MatchTicket(int action, String member, int number, String origin, String game, String properties,
                       double skill, int min, int max, int countMultiple, String party, int partySize,
                       boolean peerHosted, boolean mesh) {
        this.action = action;
        this.member = member;
        this.number = number;
        this.origin = origin;
        this.game = game;
        this.properties = properties;
        this.skill = skill;
        this.min = min;
        this.max = max;
        this.countMultiple = countMultiple;
        this.party = party;
        this.partySize = partySize;
        this.peerHosted = peerHosted;
        this.mesh = mesh;
    }

    /** A {@link #CANCEL} of ticket {@code number}, or with number 0 a {@link #FORGET} of all the member's. */
    public static MatchTicket withdraw(String member, int number) {
        return new MatchTicket(number == 0 ? FORGET : CANCEL, member, number, null, null, null, 0, 0, 0, 0, null, 0,
                false, false);
    }

    /** For Kryo, which sets the fields. */
    private MatchTicket() {
        this(0, null, 0, null, null, null, 0, 0, 0, 0, null, 0, false, false);
    }

    public int action() {
        return action;
    }

    public String member() {
        return member;
    }

    public int number() {
        return number;
    }

    public String origin() {
        return origin;
    }

    public String game() {
        return game;
    }

    public String properties() {
        return properties;
    }

    public double skill() {
        return skill;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public int countMultiple() {
        return countMultiple;
    }

    public String party() {
        return party;
    }

    public int partySize() {
        return partySize;
    }

    public boolean peerHosted() {
        return peerHosted;
    }

    public boolean mesh() {
        return mesh;
    }

    @Override
    public String toString() {
        return "MatchTicket[action=" + action + ", member=" + member + ", number=" + number + ", game=" + game + "]";
    }
}

package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * What the lobby's node tells a member on another node, which its node turns into the member's dialect: the same
 * events, in the same order, as a member on the lobby's own node would see.
 */
public final class MemberEvent {

    /** {@code id}: the member's id in the lobby; {@code flag}: whether the lobby is a mesh. */
    public static final int ASSIGNED = 1;
    /** {@code id}: the other member's id; {@code text}: its label. */
    public static final int PEER_CONNECTED = 2;
    /** {@code id}: the other member's id; {@code text}: how it went (a departure's name). */
    public static final int PEER_DISCONNECTED = 3;
    /**
     * The join sequence ended; {@code text}: the lobby's name, {@code detail}: its join code or null, {@code flag}:
     * server-hosted, {@code extra}: the resume token or null.
     */
    public static final int JOINED = 4;
    public static final int SEALED = 5;
    /**
     * The lobby refused the member; {@code text}: the reason's name, {@code detail}: another's words, or null;
     * {@code flag} (format 2): it refused a request of a member, which stays one unless its client's dialect ends it.
     */
    public static final int REFUSED = 6;
    /** The membership ended; {@code text}: the reason's name, {@code detail}: another's words, or null. */
    public static final int ENDED = 7;
    /** The host removed the member; {@code text}: its words. */
    public static final int KICKED = 8;

    @Tag(1)
    private final String member;
    @Tag(2)
    private final int event;
    @Tag(3)
    private final int id;
    @Tag(4)
    private final boolean flag;
    @Tag(5)
    private final String text;
    @Tag(6)
    private final String detail;
    @Tag(7)
    private final String extra;

    public MemberEvent(String member, int event, int id, boolean flag, String text, String detail, String extra) {
        this.member = member;
        this.event = event;
        this.id = id;
        this.flag = flag;
        this.text = text;
        this.detail = detail;
        this.extra = extra;
    }

    /** An event with nothing but its id, flag and text. */
    public MemberEvent(String member, int event, int id, boolean flag, String text) {
        this(member, event, id, flag, text, null, null);
    }

    /** For Kryo, which sets the fields. */
    private MemberEvent() {
        this(null, 0, 0, false, null, null, null);
    }

    public String member() {
        return member;
    }

    public int event() {
        return event;
    }

    public int id() {
        return id;
    }

    public boolean flag() {
        return flag;
    }

    public String text() {
        return text;
    }

    public String detail() {
        return detail;
    }

    public String extra() {
        return extra;
    }

    @Override
    public String toString() {
        return "MemberEvent[member=" + member + ", event=" + event + ", id=" + id + ", flag=" + flag + "]";
    }
}

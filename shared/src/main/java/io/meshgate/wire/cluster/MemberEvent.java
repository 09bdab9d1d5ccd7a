package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * What the lobby's node tells a member on another node, which its node turns into the member's dialect: the same
 * events, in the same order, as a member on the lobby's own node would see.
 */
public final class MemberEvent {

    /** The member's id in the lobby; {@code flag}: whether the lobby is a mesh. */
    public static final int ASSIGNED = 1;
    public static final int PEER_CONNECTED = 2;
    public static final int PEER_DISCONNECTED = 3;
    /** The join sequence ended; {@code text}: the lobby's name. */
    public static final int JOINED = 4;
    public static final int SEALED = 5;
    /** The lobby refused the member; {@code id}: the reason, {@code text}: the words the member is told. */
    public static final int REFUSED = 6;
    /** The membership ended; {@code id}: the reason, {@code text}: the words the member is told. */
    public static final int ENDED = 7;

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

    public MemberEvent(String member, int event, int id, boolean flag, String text) {
        this.member = member;
        this.event = event;
        this.id = id;
        this.flag = flag;
        this.text = text;
    }

    /** For Kryo, which sets the fields. */
    private MemberEvent() {
        this(null, 0, 0, false, null);
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

    @Override
    public String toString() {
        return "MemberEvent[member=" + member + ", event=" + event + ", id=" + id + ", flag=" + flag + "]";
    }
}

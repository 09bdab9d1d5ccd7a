package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * What a member on another node asks of the lobby's node: to enter the lobby, to seal it, or to leave it. The lobby's
 * node answers with {@link MemberEvent}s, exactly the events a member on its own node would get.
 */
public final class LobbyRequest {

    public static final int ENTER = 1;
    public static final int SEAL = 2;
    public static final int LEAVE = 3;

    @Tag(1)
    private final String lobby;
    @Tag(2)
    private final String member;
    @Tag(3)
    private final int request;
    /** For {@link #ENTER}: the user id a token proved, or null. */
    @Tag(4)
    private final String user;
    /** For {@link #ENTER}: the client's address, for per-address limits and logs. */
    @Tag(5)
    private final String origin;
    /** For {@link #LEAVE}: how the member went, as the lobby core numbers departures. */
    @Tag(6)
    private final int departure;

    public LobbyRequest(String lobby, String member, int request, String user, String origin, int departure) {
        this.lobby = lobby;
        this.member = member;
        this.request = request;
        this.user = user;
        this.origin = origin;
        this.departure = departure;
    }

    /** For Kryo, which sets the fields. */
    private LobbyRequest() {
        this(null, null, 0, null, null, 0);
    }

    public String lobby() {
        return lobby;
    }

    public String member() {
        return member;
    }

    public int request() {
        return request;
    }

    public String user() {
        return user;
    }

    public String origin() {
        return origin;
    }

    public int departure() {
        return departure;
    }

    @Override
    public String toString() {
        return "LobbyRequest[lobby=" + lobby + ", member=" + member + ", request=" + request + ", departure="
                + departure + "]";
    }
}

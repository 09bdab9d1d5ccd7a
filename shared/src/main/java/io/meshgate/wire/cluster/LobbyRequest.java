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
    /** For {@link #ENTER} by join code: the code, and {@code lobby} is null. */
    @Tag(7)
    private final String code;

    public LobbyRequest(String lobby, String member, int request, String user, String origin, int departure,
                        String code) {
        this.lobby = lobby;
        this.member = member;
        this.request = request;
        this.user = user;
        this.origin = origin;
        this.departure = departure;
        this.code = code;
    }

    public LobbyRequest(String lobby, String member, int request, String user, String origin, int departure) {
        this(lobby, member, request, user, origin, departure, null);
    }

    /** For Kryo, which sets the fields. */
    private LobbyRequest() {
        this(null, null, 0, null, null, 0, null);
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

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "LobbyRequest[lobby=" + lobby + ", member=" + member + ", request=" + request + ", departure="
                + departure + "]";
    }
}

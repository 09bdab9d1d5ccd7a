package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * What a member on another node asks of the lobby's node: to enter the lobby, to seal it, or to leave it, or (format
 * 2) to be put in a quick-play lobby of that node. The lobby's node answers with {@link MemberEvent}s, exactly the
 * events a member on its own node would get.
 */
public final class LobbyRequest {

    public static final int ENTER = 1;
    public static final int SEAL = 2;
    public static final int LEAVE = 3;
    /** Format 2: quick play on the receiving node, in a lobby of the kind {@code mode} and {@code game} say. */
    public static final int QUICK_PLAY = 4;
    /** Format 2: a new connection of a member takes back its seat, by the resume token in {@code resume}. */
    public static final int RESUME = 5;
    /** Bits of {@code mode}. */
    public static final int MESH = 1;
    public static final int SERVER_HOSTED = 2;
    /** Format 2: the member plays through the relay (a WebSocket to its node), not over WebRTC. */
    public static final int RELAY = 4;
    /** Format 2, with {@link #RELAY}: the member's node stands in for it over WebRTC in a peer-hosted lobby. */
    public static final int STAND_IN = 8;

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
    /** For {@link #QUICK_PLAY}: {@link #MESH} and {@link #SERVER_HOSTED}; for it and {@link #ENTER}: {@link #RELAY}. */
    @Tag(8)
    private final int mode;
    /** For {@link #QUICK_PLAY} of a server-hosted lobby: the game, as the server names it. */
    @Tag(9)
    private final String game;
    /** For {@link #ENTER} (format 2): the seat token the matchmaker gave the member for this lobby, or null. */
    @Tag(10)
    private final String seat;
    /** For {@link #RESUME}: the seat's resume token. */
    @Tag(11)
    private final String resume;
    /**
     * For {@link #ENTER}, {@link #QUICK_PLAY} and {@link #RESUME} (format 2): the signaling dialect the member speaks
     * ({@code godot4}, {@code godot3}); null, as format 1 sends it: Godot 4.
     */
    @Tag(12)
    private final String dialect;
    /**
     * For {@link #ENTER} (format 2): the name the other members know the member by, for dialects whose clients
     * address each other by name (a {@code ###!} nickname); null: its id.
     */
    @Tag(13)
    private final String label;
    /**
     * For {@link #ENTER} and {@link #RESUME} of a relay player (format 2): the key it chose to take its new seat back
     * with after a dropped connection, or null.
     */
    @Tag(14)
    private final String key;

    public LobbyRequest(String lobby, String member, int request, String user, String origin, int departure,
                        String code) {
        this(lobby, member, request, user, origin, departure, code, 0, null, null, null, null, null, null);
    }

    private LobbyRequest(String lobby, String member, int request, String user, String origin, int departure,
                         String code, int mode, String game, String seat, String resume, String dialect,
                         String label, String key) {
        this.lobby = lobby;
        this.member = member;
        this.request = request;
        this.user = user;
        this.origin = origin;
        this.departure = departure;
        this.code = code;
        this.mode = mode;
        this.game = game;
        this.seat = seat;
        this.resume = resume;
        this.dialect = dialect;
        this.label = label;
        this.key = key;
    }

    /** A {@link #RESUME} of the seat whose token is {@code token}, by a new connection of the member. */
    public static LobbyRequest resume(String token, String member, String user, String origin, String dialect,
                                      boolean relay, boolean standIn, String key) {
        return new LobbyRequest(null, member, RESUME, user, origin, 0, null, mode(relay, standIn), null, null, token,
                dialect, null, key);
    }

    private static int mode(boolean relay, boolean standIn) {
        return (relay ? RELAY : 0) | (relay && standIn ? STAND_IN : 0);
    }

    /**
     * An {@link #ENTER} by name or code, showing the member's {@code seat} token (null: none), of a member that plays
     * through the relay if {@code relay}.
     */
    public static LobbyRequest enter(String lobby, String code, String member, String user, String origin,
                                     String seat, boolean relay, boolean standIn, String dialect, String label,
                                     String key) {
        return new LobbyRequest(lobby, member, ENTER, user, origin, 0, code, mode(relay, standIn), null, seat, null,
                dialect, label, key);
    }

    /** A {@link #QUICK_PLAY} request for the member (its user id and address as for {@link #ENTER}). */
    public static LobbyRequest quickPlay(String member, String user, String origin, boolean mesh,
                                         boolean serverHosted, String game, boolean relay, String dialect) {
        return new LobbyRequest(null, member, QUICK_PLAY, user, origin, 0, null,
                (mesh ? MESH : 0) | (serverHosted ? SERVER_HOSTED : 0) | (relay ? RELAY : 0), game, null, null,
                dialect, null, null);
    }

    public LobbyRequest(String lobby, String member, int request, String user, String origin, int departure) {
        this(lobby, member, request, user, origin, departure, null);
    }

    /** For Kryo, which sets the fields. */
    private LobbyRequest() {
        this(null, null, 0, null, null, 0, null, 0, null, null, null, null, null, null);
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

    public boolean mesh() {
        return (mode & MESH) != 0;
    }

    public boolean serverHosted() {
        return (mode & SERVER_HOSTED) != 0;
    }

    public boolean relay() {
        return (mode & RELAY) != 0;
    }

    public boolean standIn() {
        return (mode & STAND_IN) != 0;
    }

    public String game() {
        return game;
    }

    public String seat() {
        return seat;
    }

    public String resume() {
        return resume;
    }

    public String dialect() {
        return dialect;
    }

    public String label() {
        return label;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "LobbyRequest[lobby=" + lobby + ", member=" + member + ", request=" + request + ", departure="
                + departure + "]";
    }
}

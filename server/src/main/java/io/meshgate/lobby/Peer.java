package io.meshgate.lobby;

import java.util.Map;

/**
 * A connected client as the lobby core sees it, whatever dialect it speaks; each dialect extends it.
 *
 * <p>The core calls the event methods on the lobby's serial executor, in the order the events happen; an
 * implementation must not block in them (queue the frame and return). {@link #refused} may also be called on the
 * thread that made the refused request (the peer's transport thread), before the request reaches any lobby.
 * Ids given to the events are as this peer must see them: the lobby's host is always 1.
 */
public abstract class Peer {

    /** Server-unique, from a secure random source, in 2..2^31-1; 0 until the peer is registered. */
    private volatile int id;

    /**
     * The lobby this peer asked to create or join: set by the peer's own (transport) thread when it asks, and reset
     * by the lobby's executor only when that lobby refuses it (then the peer may ask again) or closed before it got
     * in (then a hostless lobby reopens or quick play finds it another).
     */
    volatile Lobby lobby;
    /** The lobby this peer entered on another node of the cluster (see {@link Elsewhere}), or null. */
    volatile String remoteLobby;

    /**
     * Set when the connection is gone, before its lobby is looked up: a join that races the disconnect sees it on the
     * lobby's executor and does not add a member that will never leave.
     */
    volatile boolean gone;

    /** Set when the peer asks for quick play: a lobby that closes before it gets in is replaced by another. */
    volatile boolean quickPlaying;

    /** When the peer joined its lobby; written and read on the lobby's executor. */
    long joinedAtMillis;

    /** How the peer's connection ended; set by its dialect before the core hears it is gone, null until then. */
    private volatile Departure departure;

    /** The name and metadata the client gave of itself for games (untrusted), set by its dialect before it joins. */
    private volatile String playerName = "";
    private volatile Map<String, String> playerMetadata = Map.of();
    private volatile String seat;
    /** The user id a valid token gave (authentication on), else null; set before the socket opens. */
    private volatile String userId;
    /** Whether the name came from the token: then what the client says of itself does not change it. */
    private volatile boolean nameVerified;

    public final int id() {
        return id;
    }

    final void assignId(int id) {
        this.id = id;
    }

    /** Records how the connection ended, unless that is known already (a kick comes before the close it causes). */
    public final void departed(Departure how) {
        if (departure == null) {
            departure = how;
        }
    }

    /** How the connection ended; {@link Departure#DROPPED} if nobody said. */
    public final Departure departure() {
        Departure how = departure;
        return how == null ? Departure.DROPPED : how;
    }

    /**
     * The seat token the matchmaker gave this client for a lobby it was matched into, shown when it joins that lobby
     * (JOIN's {@code "seat"}, the relay's {@code ?seat=}); before it joins.
     */
    public final void claimSeat(String token) {
        this.seat = token;
    }

    /** The seat token it shows, or null. */
    public final String seat() {
        return seat;
    }

    /**
     * What the client says of itself for games, already validated by its dialect; before it creates or joins. A name
     * its token gave stays.
     */
    public final void describe(String name, Map<String, String> metadata) {
        if (!nameVerified) {
            this.playerName = name;
        }
        this.playerMetadata = Map.copyOf(metadata);
    }

    /** Who the client is, as its token says: its user id, and its name when the token has one; before it opens. */
    public final void identify(String userId, String name) {
        this.userId = userId;
        if (!name.isEmpty()) {
            this.playerName = name;
            this.nameVerified = true;
        }
    }

    /** The user id its token gave, or null when the server does not authenticate. */
    public final String userId() {
        return userId;
    }

    public final String playerName() {
        return playerName;
    }

    public final Map<String, String> playerMetadata() {
        return playerMetadata;
    }

    /** Whether the client runs Godot 3, whose packets the server translates; by default the Godot 3 dialect's. */
    public boolean godot3() {
        return dialect() == Dialect.GODOT3;
    }

    /** The name of the lobby this peer joined or is joining, or null. */
    public final String lobbyName() {
        Lobby current = lobby;
        return current == null ? remoteLobby : current.name();
    }

    /**
     * Whether this peer may be a member of a lobby another node of a cluster owns (see {@link Elsewhere}): only
     * dialects whose traffic the nodes forward. False by default.
     */
    protected boolean joinsElsewhere() {
        return false;
    }

    /**
     * Whether the client plays through the relay (game traffic over its WebSocket, not WebRTC): in a cluster, its
     * lobby's node then carries that traffic between it and the game. False by default.
     */
    public boolean playsThroughRelay() {
        return false;
    }

    /**
     * Whether this relay player's own node connects for it over WebRTC to the members of a peer-hosted lobby (a
     * stand-in), wherever the lobby is; false by default.
     */
    public boolean standsIn() {
        return false;
    }

    /** Whether the peer is in (or joining) a lobby another node of a cluster owns. */
    protected final boolean inLobbyElsewhere() {
        return lobby == null && remoteLobby != null;
    }

    /**
     * Game traffic for a relay player from the game of its lobby on another node: a packet as its engine frames it,
     * sent by the game as {@code delivery} (the game API's deliveries in their order, 0 reliable). Nothing by default.
     */
    protected void hostPacket(int delivery, byte[] packet) {
    }

    /** The signaling dialect this peer speaks, and so the dialect of a lobby it creates. */
    public Dialect dialect() {
        return Dialect.GODOT4;
    }

    /** Whether this peer may join a lobby whose members speak {@code lobbyDialect}; by default only its own. */
    protected boolean canJoin(Dialect lobbyDialect) {
        return lobbyDialect == dialect();
    }

    /**
     * Whether this peer can take part in a lobby of this kind; by default in any. Checked before the lobby's members
     * hear of the peer: one that cannot is refused {@link Reason#UNSUITABLE_LOBBY} and nobody is told it came.
     */
    protected boolean suits(boolean mesh, boolean serverHosted) {
        return true;
    }

    /**
     * Where the peer connects from, for per-address limits: a client's address (behind a trusted proxy, the one the
     * proxy reports), or null for a peer that has none (the server's own host peer). Fixed before registration.
     */
    protected String origin() {
        return null;
    }

    /**
     * How this member's game data travels, for the admin page (see {@link LobbyInfo.Member}): by default over WebRTC
     * to the server in a server-hosted lobby, peer to peer otherwise.
     */
    protected String transport(boolean serverHostedLobby) {
        return serverHostedLobby ? "webrtc" : "p2p";
    }

    /**
     * Asked of the host of a server-hosted lobby, on the lobby's executor, before {@code joiner} is let in: null admits
     * it, a text refuses it with {@link Reason#REFUSED_BY_GAME} and that text. By default everyone is admitted.
     */
    protected String admission(Peer joiner) {
        return null;
    }

    /**
     * Told to the server's host peer of a lobby the matchmaker made: {@code count} players placed here did not come
     * within the hold; on the lobby's executor. Nothing by default.
     */
    protected void seatsReleased(int count) {
    }

    /** What the game of a server-hosted lobby says of itself, for listings; empty by default and for clients. */
    protected Map<String, String> gameLabel() {
        return Map.of();
    }

    /** What this peer's connection carried so far, or null if it has none of its own (the server's host peer). */
    protected Traffic traffic() {
        return null;
    }

    /** Joined: the id this peer has in its lobby (1 for the host) and whether the lobby is a mesh. */
    protected abstract void assigned(int id, boolean mesh);

    /**
     * The name other members know this peer by, for dialects whose clients address each other by name (a GStreamer
     * uid, a {@code ###!} nickname); the id as text unless the dialect names its peers.
     */
    public String label() {
        return Integer.toString(id);
    }

    /** Another peer is now reachable through the lobby. */
    protected abstract void peerConnected(int id);

    /** Another peer is now reachable through the lobby, with its {@link #label}; for dialects that name peers. */
    protected void peerConnected(int id, String label) {
        peerConnected(id);
    }

    /** A peer announced by {@link #peerConnected} left. */
    protected abstract void peerDisconnected(int id);

    /** A peer announced by {@link #peerConnected} left, and how; for the server's host peer, which tells its game. */
    protected void peerDisconnected(int id, Departure how) {
        peerDisconnected(id);
    }

    /** The join sequence is complete. */
    protected abstract void joined(String lobbyName);

    /**
     * The join sequence is complete, in a private lobby whose join {@code code} the peer may share (null otherwise),
     * hosted by the server or not, with the token that resumes its seat after a dropped connection (null unless
     * {@link #resumable}); by default as {@link #joined(String)}, for dialects that say none of these.
     */
    protected void joined(String lobbyName, String code, boolean serverHosted, String resume) {
        joined(lobbyName);
    }

    /**
     * Whether this peer's dialect can give a client a resume token and take it back on a new connection: then a
     * dropped connection's seat is held for the resume window. False by default.
     */
    protected boolean resumable() {
        return false;
    }

    /**
     * The resume token this peer's client chose for its seat, for a dialect that cannot be told one (the relay: the
     * client says it in its URL); null, by default, for the server to make one.
     */
    public String chosenResumeToken() {
        return null;
    }

    /**
     * Told to the server's host peer: member {@code id}'s connection dropped and its seat is held; on the lobby's
     * executor. Nothing by default.
     */
    protected void peerSuspended(int id) {
    }

    /** Told to the server's host peer: member {@code id} resumed its seat on a new connection. Nothing by default. */
    protected void peerResumed(int id) {
    }

    /** The host sealed the lobby. */
    protected abstract void sealed();

    /** A signaling payload another member of the lobby sent to this peer, forwarded with the sender's id. */
    protected abstract void forwarded(Signal kind, int from, String payload);

    /**
     * The core refused a request of this peer (a {@link Reason#isRefusal refusal}): the dialect reports it in its own
     * form, and either keeps the connection (a dialect whose clients may try again) or closes it.
     */
    protected abstract void refused(Reason reason);

    /** A refusal whose words are another's (a game's): by default as {@link #refused(Reason)}. */
    protected void refused(Reason reason, String text) {
        refused(reason);
    }

    /** The peer's lobby ended its membership (the lobby closed): the dialect reports why and closes. */
    protected abstract void ended(Reason reason);

    /** The end of a membership whose words are another's (a game's): by default as {@link #ended(Reason)}. */
    protected void ended(Reason reason, String text) {
        ended(reason);
    }

    /** The lobby's host removed this peer, with a reason for the user; the dialect reports it and closes. */
    protected abstract void kicked(String message);
}

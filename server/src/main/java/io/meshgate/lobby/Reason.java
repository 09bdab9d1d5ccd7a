package io.meshgate.lobby;

/**
 * Why the lobby core refused a request or ended a peer's membership.
 *
 * <p>The core never writes error text: each dialect maps these to its own form (a close code and reason, an error
 * frame), defined once per dialect.
 */
public enum Reason {
    // Refusals of a request (Peer.refused):
    TOO_MANY_PEERS,
    TOO_MANY_LOBBIES,
    ALREADY_IN_LOBBY,
    LOBBY_NOT_FOUND,
    LOBBY_SEALED,
    LOBBY_FULL,
    NOT_IN_LOBBY,
    ONLY_HOST_CAN_SEAL,
    INVALID_DESTINATION,
    /** A server-hosted lobby was asked for, and this server cannot host (no WebRTC). */
    SERVER_HOSTING_UNAVAILABLE,
    /** The lobby is not of a kind the peer can take part in (a relay player needs a server-hosted client/server one). */
    UNSUITABLE_LOBBY,
    /** The creator's address holds as many open lobbies as one address may. */
    ADDRESS_LOBBY_LIMIT,
    /** A server-hosted lobby was asked to run a game this server does not offer. */
    UNKNOWN_GAME,
    /** The game of a server-hosted lobby refused the client, in its own words. */
    REFUSED_BY_GAME,
    /** The lobby's seats are held for the players the matchmaker placed there. */
    LOBBY_RESERVED,
    /** No open lobby has the join code the client gave. */
    NO_SUCH_CODE,
    /** The client's address gave too many wrong join codes lately: it may not try another yet. */
    TOO_MANY_WRONG_CODES,
    /** A resume token the server does not know: never given, already used, or its window has passed. */
    RESUME_REFUSED,
    /** The server is draining before it stops: it opens and joins no lobby any more. */
    DRAINING,
    /**
     * A node of a cluster could not ask the others where a lobby is (Redis is unreachable): refused at once rather
     * than left waiting; its own lobbies are joined as ever.
     */
    CLUSTER_UNREACHABLE,

    // Ends of a membership (Peer.ended):
    HOST_DISCONNECTED,
    SEAL_COMPLETE,
    /** Its last member (in a server-hosted lobby: its last client) left, so the lobby is gone. */
    LOBBY_EMPTY,
    /** A lobby with an idle timeout saw no join, leave, seal or message for that long. */
    LOBBY_IDLE,
    /** The server's operator closed the lobby (from the admin page). */
    CLOSED_BY_OPERATOR,
    /** The game of a server-hosted lobby closed it, in its own words. */
    CLOSED_BY_GAME,
    /** The server's operator removed this member from its lobby (from the admin page). */
    KICKED_BY_OPERATOR,
    /**
     * Another connection showed this member's matched seat: the same player, moving to a new connection (a client
     * whose WebRTC failed takes its seat again over the relay), so this one leaves.
     */
    SEAT_TAKEN_OVER,
    /** A new connection resumed this member's seat (the player moved on without this one being seen to drop). */
    RESUMED_ELSEWHERE,
    /** The server stops: lobbies still open (held seats, the server's own peers) are closed with it. */
    SERVER_STOPPING;

    /** True for a refused request, false for the end of a membership. */
    public boolean isRefusal() {
        return ordinal() <= DRAINING.ordinal();
    }
}

package io.meshgate.lobby;

/**
 * Why the lobby core refused a request or ended a peer's membership.
 *
 * <p>The core never writes error text: each dialect maps these to its own form (a close code and reason, an error
 * frame), defined once per dialect.
 */
public enum Reason {
    TOO_MANY_PEERS,
    TOO_MANY_LOBBIES,
    ALREADY_IN_LOBBY,
    LOBBY_NOT_FOUND,
    LOBBY_SEALED,
    LOBBY_FULL,
    NOT_IN_LOBBY,
    ONLY_HOST_CAN_SEAL,
    INVALID_DESTINATION,
    HOST_DISCONNECTED,
    SEAL_COMPLETE,
    /** A server-hosted lobby was asked for, and this server cannot host (no WebRTC). */
    SERVER_HOSTING_UNAVAILABLE,
    /** Told to a server's host peer: its last client left, so its lobby is gone. */
    LOBBY_EMPTY,
    /** A lobby with an idle timeout saw no join, leave, seal or message for that long. */
    LOBBY_IDLE
}

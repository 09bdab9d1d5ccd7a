package io.meshgate.lobby;

/** How a member's connection ended, as far as the server can tell. */
public enum Departure {
    /** The client closed on purpose (a WebSocket close with 1000 or an application code). */
    LEFT,
    /** The connection was lost: reset, ping timeout, 1001, 1006, a slow reader dropped, a failed WebRTC connection. */
    DROPPED,
    /** The server removed it: its game, its operator, or a limit or protocol error. */
    KICKED
}

package io.meshgate.game;

/** Why a player left a game, as {@link Game#onLeave} is told. */
public enum LeaveReason {
    /** The player closed its connection on purpose (a WebSocket close with 1000 or an application code). */
    LEFT,
    /** The connection was lost: reset, timed out, closed with 1001 or 1006, or its WebRTC connection failed. */
    DROPPED,
    /** The game ({@link Player#kick}), the server's operator or the server's own limits removed it. */
    KICKED
}

package io.meshgate.net;

import io.meshgate.lobby.Reason;

/**
 * A WebSocket close code with the reason text a client is shown; also the texts every dialect shares, which are
 * those of Godot's Node signaling server so that clients written against it read the same reasons here.
 */
public record CloseStatus(int code, String reason) {

    /** Godot's signaling server closes every protocol error with this code; Meshgate keeps it for all its dialects. */
    public static final int PROTOCOL_ERROR = 4000;

    public static final CloseStatus RATE_EXCEEDED = error("Message rate exceeded");
    public static final CloseStatus PING_TIMEOUT = error("Ping timeout");
    public static final CloseStatus ADDRESS_CONNECTION_LIMIT = error("Too many connections from your address");
    public static final CloseStatus SHUTDOWN = new CloseStatus(1001, "Server shutting down");

    public static final CloseStatus INVALID_FORMAT = error("Invalid message format");
    public static final CloseStatus INVALID_COMMAND = error("Invalid command");
    public static final CloseStatus TEXT_ONLY = error("Invalid transfer mode, must be text");
    public static final CloseStatus BINARY_ONLY = error("Invalid transfer mode, must be binary");
    public static final CloseStatus NO_LOBBY = error("Have not joined lobby yet");

    /** Authentication refusals share their own code, so a client can tell it needs a new token, not another try. */
    public static final int UNAUTHORIZED = 4001;
    public static final CloseStatus TOKEN_MISSING = new CloseStatus(UNAUTHORIZED, "Token missing");
    public static final CloseStatus TOKEN_INVALID = new CloseStatus(UNAUTHORIZED, "Token invalid");
    public static final CloseStatus TOKEN_EXPIRED = new CloseStatus(UNAUTHORIZED, "Token expired");
    public static final CloseStatus TOKEN_NOT_YET_VALID = new CloseStatus(UNAUTHORIZED, "Token not yet valid");
    /** The user connected again, and the server keeps one connection per user: the newer one. */
    public static final CloseStatus SIGNED_IN_ELSEWHERE = error("Signed in elsewhere");
    /** The user connected again, and the server keeps one connection per user: the first one. */
    public static final CloseStatus ALREADY_CONNECTED = error("Already connected elsewhere");

    /** The most UTF-8 bytes a close frame's reason holds. */
    static final int MAX_REASON_BYTES = 123;

    /** A protocol error (4000) with {@code reason}. */
    public static CloseStatus error(String reason) {
        return new CloseStatus(PROTOCOL_ERROR, reason);
    }

    /**
     * A 4000 close with words another wrote (a game, a lobby's host): control characters become spaces, and the text
     * is cut at a character boundary to the 123 bytes a close frame holds.
     */
    public static CloseStatus ofText(String text) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int point = text.codePointAt(i);
            i += Character.charCount(point);
            if (Character.isISOControl(point) || point == 0x2028 || point == 0x2029) {
                point = ' ';
            }
            int size = point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            bytes += size;
            kept.appendCodePoint(point);
        }
        return error(kept.toString());
    }

    /** The reference server's text for each reason of the core (Meshgate's own where the reference has none). */
    public static CloseStatus of(Reason reason) {
        return switch (reason) {
            case TOO_MANY_PEERS -> error("Too many peers connected");
            case TOO_MANY_LOBBIES -> error("Too many lobbies open, disconnecting");
            case ALREADY_IN_LOBBY -> error("Already in a lobby");
            case LOBBY_NOT_FOUND -> error("Lobby does not exists");
            case LOBBY_SEALED -> error("Lobby is sealed");
            case LOBBY_FULL -> error("Lobby is full");
            case NOT_IN_LOBBY -> error("Invalid message when not in a lobby");
            case ONLY_HOST_CAN_SEAL -> error("Only host can seal the lobby");
            case INVALID_DESTINATION -> error("Invalid destination");
            case SERVER_HOSTING_UNAVAILABLE -> error("Server-hosted lobbies are not available");
            case UNSUITABLE_LOBBY -> error("Relay needs a server-hosted client/server lobby");
            case ADDRESS_LOBBY_LIMIT -> error("Too many lobbies from your address");
            case UNKNOWN_GAME -> error("No such game on this server");
            case REFUSED_BY_GAME -> error("Refused by the game");
            case LOBBY_RESERVED -> error("Lobby is reserved for its matched players");
            case NO_SUCH_CODE -> error("No lobby has that code");
            case TOO_MANY_WRONG_CODES -> error("Too many wrong codes from your address, wait a minute");
            case RESUME_REFUSED -> error("Cannot resume: the token is unknown, used or expired");
            case DRAINING -> error("Server is draining, join another");
            case CLUSTER_UNREACHABLE -> error("The lobby's server cannot be reached now, try again");
            case HOST_DISCONNECTED -> error("Room host has disconnected");
            case SEAL_COMPLETE -> new CloseStatus(1000, "Seal complete");
            case LOBBY_EMPTY -> error("Lobby closed");
            case LOBBY_IDLE -> error("Lobby closed for inactivity");
            case CLOSED_BY_OPERATOR -> error("Lobby closed by the server's operator");
            case CLOSED_BY_GAME -> error("Lobby closed by its game");
            case KICKED_BY_OPERATOR -> error("Removed from the lobby by the server's operator");
            case SEAT_TAKEN_OVER -> error("Your seat was taken by your new connection");
            case RESUMED_ELSEWHERE -> error("Resumed on another connection");
            case SERVER_STOPPING -> SHUTDOWN;
        };
    }

    @Override
    public String toString() {
        return code + " \"" + reason + "\"";
    }
}

package io.meshgate.net;

/** A WebSocket close code with the reason text a client is shown. */
public record CloseStatus(int code, String reason) {

    /** Godot's signaling server closes every protocol error with this code; Meshgate keeps it for all its dialects. */
    public static final int PROTOCOL_ERROR = 4000;

    public static final CloseStatus RATE_EXCEEDED = new CloseStatus(PROTOCOL_ERROR, "Message rate exceeded");
    public static final CloseStatus SEND_QUEUE_FULL = new CloseStatus(PROTOCOL_ERROR, "Send queue full");
    public static final CloseStatus PING_TIMEOUT = new CloseStatus(PROTOCOL_ERROR, "Ping timeout");
    public static final CloseStatus SHUTDOWN = new CloseStatus(1001, "Server shutting down");

    @Override
    public String toString() {
        return code + " \"" + reason + "\"";
    }
}

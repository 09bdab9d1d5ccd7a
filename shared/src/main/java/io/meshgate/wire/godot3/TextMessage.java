package io.meshgate.wire.godot3;

import io.meshgate.wire.MalformedMessageException;

/**
 * One frame of Godot 3's text signaling protocol (its webrtc_signaling demo): {@code "<C>: <arg>\n<payload>"}.
 * Clients send J (arg: lobby, empty to create), S (seal), and O/A/C (arg: destination id); the server sends I (your
 * id), N/D (peer connected/disconnected), J (lobby name), S (sealed), and O/A/C with the source id. Godot 3's client
 * ignores a frame without the newline, so every encoded frame has one even when the payload is empty.
 */
public record TextMessage(char command, String arg, String payload) {

    /** Client commands this codec accepts. */
    private static final String CLIENT_COMMANDS = "JSOAC";

    /** Reads a client's frame; refuses anything Godot 3's server could not act on, with the reason. */
    public static TextMessage decode(String frame) throws MalformedMessageException {
        int newline = frame.indexOf('\n');
        if (newline < 0) {
            throw new MalformedMessageException("no newline after the command");
        }
        String header = frame.substring(0, newline);
        if (header.length() < 3 || header.charAt(1) != ':' || header.charAt(2) != ' ') {
            throw new MalformedMessageException("command is not \"<letter>: \"");
        }
        char command = header.charAt(0);
        if (CLIENT_COMMANDS.indexOf(command) < 0) {
            throw new MalformedMessageException("unknown command " + command);
        }
        String arg = header.substring(3);
        if ("OAC".indexOf(command) >= 0 && !arg.matches("-?[0-9]{1,10}")) {
            throw new MalformedMessageException("destination is not an id: " + arg);
        }
        return new TextMessage(command, arg, frame.substring(newline + 1));
    }

    /** The destination of an O/A/C frame. */
    public int destination() throws MalformedMessageException {
        try {
            return Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new MalformedMessageException("destination out of range: " + arg);
        }
    }

    public static String encode(char command, String arg, String payload) {
        return command + ": " + arg + "\n" + payload;
    }

    public static String encode(char command, int id, String payload) {
        return encode(command, Integer.toString(id), payload);
    }
}

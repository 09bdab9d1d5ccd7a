package io.meshgate.wire.gstreamer;

import java.util.ArrayList;
import java.util.List;

/**
 * The text commands of GStreamer's webrtc signalling protocol (gst-examples' {@code simple_server.py}): a verb and
 * its arguments separated by whitespace, split the way that server splits them, and the server's replies in its
 * exact wording. Ids (uids, room ids) are single words; a room message keeps its own whitespace.
 */
public final class GstMessage {

    public static final String HELLO = "HELLO";
    public static final String SESSION = "SESSION";
    public static final String SESSION_OK = "SESSION_OK";
    public static final String ROOM = "ROOM";
    public static final String ROOM_OK = "ROOM_OK";
    public static final String ROOM_PEER_MSG = "ROOM_PEER_MSG";
    public static final String ROOM_PEER_LIST = "ROOM_PEER_LIST";
    public static final String ROOM_PEER_JOINED = "ROOM_PEER_JOINED";
    public static final String ROOM_PEER_LEFT = "ROOM_PEER_LEFT";

    private GstMessage() {
    }

    /**
     * Splits like Python's {@code str.split(maxsplit=n)}, as the reference does: runs of whitespace separate,
     * leading whitespace is dropped, and after {@code maxSplit} splits the rest is one last item kept as it is.
     */
    public static List<String> split(String text, int maxSplit) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return parts;
            }
            if (parts.size() == maxSplit) {
                parts.add(text.substring(i));
                return parts;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            parts.add(text.substring(start, i));
        }
    }

    /** True for a usable uid or room id: non-empty, one word, no control characters. */
    public static boolean isWord(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code ROOM_OK} and the peers already in the room; the trailing space is the reference's when there are none. */
    public static String roomOk(List<String> peers) {
        return ROOM_OK + " " + String.join(" ", peers);
    }

    /** The answer to {@code ROOM_PEER_LIST}: every other peer of the room. */
    public static String peerList(List<String> peers) {
        return ROOM_PEER_LIST + " " + String.join(" ", peers);
    }

    public static String peerJoined(String uid) {
        return ROOM_PEER_JOINED + " " + uid;
    }

    public static String peerLeft(String uid) {
        return ROOM_PEER_LEFT + " " + uid;
    }

    /** A room message as delivered: the sender's uid replaces the recipient's. */
    public static String peerMessage(String from, String message) {
        return ROOM_PEER_MSG + " " + from + " " + message;
    }

    /** An error line: {@code ERROR } and the reference's sentence, ids quoted as Python's repr quotes them. */
    public static String error(String text) {
        return "ERROR " + text;
    }

    public static String peerNotFound(String uid) {
        return error("peer " + repr(uid) + " not found");
    }

    public static String peerBusy(String uid) {
        return error("peer " + repr(uid) + " busy");
    }

    public static String peerNotInRoom(String uid) {
        return error("peer " + repr(uid) + " is not in the room");
    }

    public static String invalidRoomId(String room) {
        return error("invalid room id " + repr(room));
    }

    public static final String ALREADY_IN_ROOM = error("invalid msg, already in room");

    /**
     * A string as Python's {@code repr} writes it, which is how the reference quotes ids in its errors: single
     * quotes unless the text has a single quote and no double one, backslashes and control characters escaped.
     */
    public static String repr(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }
}

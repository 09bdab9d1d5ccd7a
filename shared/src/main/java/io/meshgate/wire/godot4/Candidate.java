package io.meshgate.wire.godot4;

import io.meshgate.wire.MalformedMessageException;

/**
 * An ICE candidate as Godot's signaling carries it in a CANDIDATE message's data: {@code "\n<mid>\n<index>\n<sdp>"}.
 * Godot splits the data on {@code \n}, drops empty parts and expects exactly three, the index an integer.
 */
public record Candidate(String mid, int index, String sdp) {

    /** Godot's media line indexes are small; four digits bound what a client can make the server parse. */
    private static final int MAX_INDEX_DIGITS = 4;

    public String encode() {
        return "\n" + mid + "\n" + index + "\n" + sdp;
    }

    /** Reads a candidate as Godot writes it (leading, doubled or trailing newlines are ignored, as Godot does). */
    public static Candidate decode(String data) throws MalformedMessageException {
        String[] fields = new String[3];
        int count = 0;
        for (String part : data.split("\n")) {
            if (part.isEmpty()) {
                continue;
            }
            if (count == fields.length) {
                throw new MalformedMessageException("candidate with more than three parts");
            }
            fields[count++] = part;
        }
        if (count != fields.length) {
            throw new MalformedMessageException("candidate with " + count + " parts, expected mid, index and sdp");
        }
        String index = fields[1];
        if (index.length() > MAX_INDEX_DIGITS || !index.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedMessageException("candidate index is not a small number");
        }
        return new Candidate(fields[0], Integer.parseInt(index), fields[2]);
    }
}

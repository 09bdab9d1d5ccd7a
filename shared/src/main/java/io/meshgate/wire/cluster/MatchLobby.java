package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * Format 2: the cluster's matchmaker asks the node placement chose to open a lobby for a match, with a seat held per
 * token, and that node answers with the lobby's name or that it could not.
 */
public final class MatchLobby {

    public static final int OPEN = 1;
    /** {@code lobby}: the name of the lobby opened. */
    public static final int OPENED = 2;
    public static final int FAILED = 3;

    @Tag(1)
    private final int action;
    /** The matchmaker's number for the match, which the answer repeats. */
    @Tag(2)
    private final long match;
    /** A server-hosted lobby's game, as the server names it; null when peer-hosted. */
    @Tag(3)
    private final String game;
    @Tag(4)
    private final boolean mesh;
    @Tag(5)
    private final boolean peerHosted;
    /** The seat tokens, separated by commas (a token is URL-safe base64: it has none). */
    @Tag(6)
    private final String seats;
    @Tag(7)
    private final long holdMs;
    @Tag(8)
    private final String lobby;

    public MatchLobby(int action, long match, String game, boolean mesh, boolean peerHosted, String seats,
                      long holdMs, String lobby) {
        this.action = action;
        this.match = match;
        this.game = game;
        this.mesh = mesh;
        this.peerHosted = peerHosted;
        this.seats = seats;
        this.holdMs = holdMs;
        this.lobby = lobby;
    }

    /** The answer to {@code open}: {@link #OPENED} with the lobby's name, or {@link #FAILED} when it is null. */
    public static MatchLobby answer(MatchLobby open, String lobby) {
        return new MatchLobby(lobby == null ? FAILED : OPENED, open.match, null, false, false, null, 0, lobby);
    }

    /** For Kryo, which sets the fields. */
    private MatchLobby() {
        this(0, 0, null, false, false, null, 0, null);
    }

    public int action() {
        return action;
    }

    public long match() {
        return match;
    }

    public String game() {
        return game;
    }

    public boolean mesh() {
        return mesh;
    }

    public boolean peerHosted() {
        return peerHosted;
    }

    public String seats() {
        return seats;
    }

    public long holdMs() {
        return holdMs;
    }

    public String lobby() {
        return lobby;
    }

    @Override
    public String toString() {
        return "MatchLobby[action=" + action + ", match=" + match + ", lobby=" + lobby + "]";
    }
}

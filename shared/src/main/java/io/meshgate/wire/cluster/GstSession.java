package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;

/**
 * Format 2: a GStreamer 1-1 session between clients of two nodes. The caller's node asks the callee's ({@link #CALL}),
 * which answers {@link #ACCEPTED}, {@link #NOT_FOUND} or {@link #BUSY}; then each side's frames travel as
 * {@link #FRAME}s, and whichever side ends it says {@link #END}. A session is known by the caller's node's id (the
 * envelope's sender or receiver) and its number there.
 */
public final class GstSession {

    public static final int CALL = 1;
    public static final int ACCEPTED = 2;
    public static final int NOT_FOUND = 3;
    public static final int BUSY = 4;
    /** {@code frame}: one text frame of one side, for the other, verbatim. */
    public static final int FRAME = 5;
    public static final int END = 6;

    @Tag(1)
    private final int action;
    /** The caller's node's number for the session. */
    @Tag(2)
    private final long session;
    /** Whether the caller's node sent this (false: the callee's node did). */
    @Tag(3)
    private final boolean fromCaller;
    /** For {@link #CALL}: the uid called. */
    @Tag(4)
    private final String callee;
    @Tag(5)
    private final String frame;

    public GstSession(int action, long session, boolean fromCaller, String callee, String frame) {
        this.action = action;
        this.session = session;
        this.fromCaller = fromCaller;
        this.callee = callee;
        this.frame = frame;
    }

    /** For Kryo, which sets the fields. */
    private GstSession() {
        this(0, 0, false, null, null);
    }

    public int action() {
        return action;
    }

    public long session() {
        return session;
    }

    public boolean fromCaller() {
        return fromCaller;
    }

    public String callee() {
        return callee;
    }

    public String frame() {
        return frame;
    }

    @Override
    public String toString() {
        return "GstSession[action=" + action + ", session=" + session + ", fromCaller=" + fromCaller + ", "
                + (frame == null ? 0 : frame.length()) + " chars]";
    }
}

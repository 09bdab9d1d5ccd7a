package io.meshgate.wire.cluster;

import java.util.Objects;

/**
 * One message from one cluster node to another: the format it was written in, the node that sent it, and what it
 * carries (an instance of a class {@link EnvelopeCodec} registers).
 */
public record Envelope(int format, String from, Object message) {

    public Envelope {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(message, "message");
    }

    /** An envelope in this release's format. */
    public static Envelope of(String from, Object message) {
        return new Envelope(EnvelopeCodec.FORMAT, from, message);
    }
}

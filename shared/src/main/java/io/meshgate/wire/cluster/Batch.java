package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;
import java.util.List;

/**
 * Format 2: several messages for one node in one envelope, in the order they were sent, so that a busy node sends
 * another one Redis command and one delivery for many messages instead of one each. Written and read only by
 * {@link EnvelopeCodec} ({@link EnvelopeCodec#encode(String, List)}); a batch holds no batch.
 */
public final class Batch {

    /** The messages, each as Kryo writes a class and its object, one after another. */
    @Tag(1)
    private final byte[] packed;
    /** The messages as read; not written (it has no tag). */
    private final List<Object> messages;

    Batch(byte[] packed, List<Object> messages) {
        this.packed = packed;
        this.messages = List.copyOf(messages);
    }

    /** For Kryo, which sets the fields. */
    private Batch() {
        this(null, List.of());
    }

    byte[] packed() {
        return packed;
    }

    /** The messages, in the order they were sent. */
    public List<Object> messages() {
        return messages;
    }

    @Override
    public String toString() {
        return "Batch[" + messages.size() + " messages]";
    }
}

package io.meshgate.wire.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer;
import io.meshgate.wire.MalformedMessageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads the envelopes between cluster nodes with Kryo.
 *
 * <p>An envelope is: the format number (a varint), the sending node's id, then the message as Kryo writes a
 * registered class and its object. Every message class is registered under a fixed id ({@link #MESSAGES}); ids are
 * never reused. Message fields are tagged: a reader skips a tag it does not know (a field a newer release added) and
 * leaves a field it finds missing at its default (a field an older release did not have), so two releases next to each
 * other read each other's envelopes during a rolling upgrade. A new field may only have a type every release in the
 * cluster registers (strings, numbers, booleans, byte arrays); a new message class may only be sent once no node of
 * an older release is left (nodes announce their format in the directory).
 *
 * <p>Reading never trusts a length: the envelope is refused above the codec's size, and no string or byte array is
 * allocated longer than the bytes that remain. Thread-safe: each thread has its own Kryo.
 */
public final class EnvelopeCodec {

    /**
     * This release's format. 2: {@link LobbyRequest#QUICK_PLAY} and a seat in {@link LobbyRequest#ENTER}, the
     * cluster's matchmaker ({@link MatchTicket}, {@link MatchNotice}, {@link MatchLobby}), {@link Batch} and
     * {@link GstSession}: sent only to nodes that announce 2 or more, as a node of format 1 would not act on them.
     */
    public static final int FORMAT = 2;
    /** The oldest format this release reads. */
    public static final int OLDEST_READABLE = 1;
    /** Envelopes carry signaling (an SDP is a few KB) and notices: far below this. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    /** The message classes and their ids: append only, never renumber or reuse. */
    static final List<Registration> MESSAGES = List.of(
            new Registration(100, Relay.class),
            new Registration(101, LobbyRequest.class),
            new Registration(102, MemberEvent.class),
            new Registration(103, MatchTicket.class),
            new Registration(104, MatchNotice.class),
            new Registration(105, MatchLobby.class),
            new Registration(106, Batch.class),
            new Registration(107, GstSession.class));

    /** One registered class and its fixed id. */
    record Registration(int id, Class<?> type) {
    }

    private static final ThreadLocal<Kryo> KRYO = ThreadLocal.withInitial(() -> newKryo(MESSAGES));

    private final int maxBytes;

    public EnvelopeCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    public EnvelopeCodec(int maxBytes) {
        if (maxBytes < 64) {
            throw new IllegalArgumentException("an envelope needs at least 64 bytes: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A Kryo configured as envelopes need, with {@code messages} registered (tests give other shapes of them). */
    static Kryo newKryo(List<Registration> messages) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // A field value's class goes before it, so that a reader that lacks the field can still read past it.
        TaggedFieldSerializer.TaggedFieldSerializerConfig tagged = new TaggedFieldSerializer.TaggedFieldSerializerConfig();
        tagged.setReadUnknownTagData(true);
        tagged.setChunkedEncoding(false); // chunks would read strings through an input that does not bound them
        for (Registration registration : messages) {
            kryo.register(registration.type(), new TaggedFieldSerializer<>(kryo, registration.type(), tagged),
                    registration.id());
        }
        kryo.register(byte[].class, 20); // Kryo's own registrations (numbers, strings) take 0 to 9
        return kryo;
    }

    /** The envelope's bytes; throws IllegalArgumentException if they would exceed the codec's size. */
    public byte[] encode(Envelope envelope) {
        Output output = new Output(256, maxBytes);
        try {
            output.writeVarInt(envelope.format(), true);
            output.writeString(envelope.from());
            KRYO.get().writeClassAndObject(output, envelope.message());
        } catch (KryoBufferOverflowException e) {
            throw new IllegalArgumentException("envelope over " + maxBytes + " bytes: " + envelope.message(), e);
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot encode " + envelope.message() + ": " + e.getMessage(), e);
        }
        return output.toBytes();
    }

    /**
     * One envelope for several messages: the message itself if there is one, else a {@link Batch} of them in order
     * (for nodes of format 2 or later). Throws IllegalArgumentException if they would exceed the codec's size.
     */
    public byte[] encode(String from, List<Object> messages) {
        if (messages.size() == 1) {
            return encode(Envelope.of(from, messages.get(0)));
        }
        Output packed = new Output(256, maxBytes);
        try {
            Kryo kryo = KRYO.get();
            for (Object message : messages) {
                if (message instanceof Batch) {
                    throw new IllegalArgumentException("a batch holds no batch");
                }
                kryo.writeClassAndObject(packed, message);
            }
        } catch (KryoBufferOverflowException e) {
            throw new IllegalArgumentException("batch of " + messages.size() + " messages over " + maxBytes
                    + " bytes", e);
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot encode a batch: " + e.getMessage(), e);
        }
        return encode(Envelope.of(from, new Batch(packed.toBytes(), List.of())));
    }

    /**
     * Reads one envelope; throws with what is wrong with it (too big, a format too old, an unknown message...). A
     * {@link Batch} comes back with its messages read, each checked as an envelope's message is.
     */
    public Envelope decode(byte[] bytes) throws MalformedMessageException {
        if (bytes.length > maxBytes) {
            throw new MalformedMessageException("envelope of " + bytes.length + " bytes, over " + maxBytes);
        }
        BoundedInput input = new BoundedInput(bytes);
        try {
            int format = input.readVarInt(true);
            if (format < OLDEST_READABLE) {
                throw new MalformedMessageException("format " + format + " is older than this node reads ("
                        + OLDEST_READABLE + ")");
            }
            String from = input.readString();
            if (from == null || from.isEmpty()) {
                throw new MalformedMessageException("no sending node");
            }
            Object message = KRYO.get().readClassAndObject(input);
            if (message == null) {
                throw new MalformedMessageException("no message");
            }
            if (message instanceof Batch batch) {
                message = unpack(batch);
            }
            if (input.position() != bytes.length) {
                throw new MalformedMessageException((bytes.length - input.position()) + " bytes after the message");
            }
            return new Envelope(format, from, message);
        } catch (KryoException | IllegalArgumentException e) {
            throw new MalformedMessageException("unreadable envelope" + (format(bytes) > FORMAT
                    ? " (format " + format(bytes) + ", newer than this node's " + FORMAT + ")" : "") + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** A batch's messages, read from its packed bytes with the same bounds as an envelope's. */
    private static Batch unpack(Batch batch) throws MalformedMessageException {
        byte[] packed = batch.packed();
        if (packed == null || packed.length == 0) {
            throw new MalformedMessageException("an empty batch");
        }
        BoundedInput input = new BoundedInput(packed);
        List<Object> messages = new ArrayList<>();
        Kryo kryo = KRYO.get();
        while (input.position() < packed.length) {
            Object message = kryo.readClassAndObject(input);
            if (message == null || message instanceof Batch) {
                throw new MalformedMessageException(message == null ? "a batch with no message in it"
                        : "a batch in a batch");
            }
            messages.add(message);
        }
        return new Batch(packed, messages);
    }

    /** The format an envelope says it has, or -1. */
    private static int format(byte[] bytes) {
        try {
            return new Input(bytes).readVarInt(true);
        } catch (KryoException e) {
            return -1;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * An input that checks a string's or a byte array's announced length against the bytes left before allocating
     * for it: Kryo would otherwise allocate whatever a varint says.
     */
    private static final class BoundedInput extends Input {

        BoundedInput(byte[] bytes) {
            super(bytes);
        }

        private int remaining() {
            return limit() - position();
        }

        @Override
        public byte[] readBytes(int length) {
            if (length < 0 || length > remaining()) {
                throw new KryoException("byte array of " + length + " bytes with " + remaining() + " left");
            }
            return super.readBytes(length);
        }

        @Override
        public String readString() {
            int start = position();
            if (remaining() > 0 && (getBuffer()[start] & 0x80) != 0) {
                // Kryo's UTF-8 form: a flagged varint of (characters + 1), then at least a byte per character
                int characters = readVarIntFlag(true) - 1;
                if (characters > remaining()) {
                    throw new KryoException("string of " + characters + " characters with " + remaining()
                            + " bytes left");
                }
                setPosition(start);
            }
            return super.readString();
        }
    }
}

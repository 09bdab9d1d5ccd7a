package io.meshgate.wire.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer.Tag;
import io.meshgate.wire.MalformedMessageException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    private Object roundTrip(Object message) throws MalformedMessageException {
        Envelope read = codec.decode(codec.encode(Envelope.of("node-a", message)));
        assertEquals(EnvelopeCodec.FORMAT, read.format());
        assertEquals("node-a", read.from());
        return read.message();
    }

    @Test
    void everyMessageComesBackAsItWasSent() throws Exception {
        String sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=caf\u00e9 \u2603 \ud83c\udfae\r\n";
        Relay relay = assertInstanceOf(Relay.class, roundTrip(new Relay("Lobby1", "b/17", Relay.Kinds.OFFER, 3, sdp)));
        assertEquals("Lobby1", relay.lobby());
        assertEquals("b/17", relay.member());
        assertEquals(Relay.Kinds.OFFER, relay.kind());
        assertEquals(3, relay.peer());
        assertEquals(sdp, relay.payload());

        LobbyRequest request = assertInstanceOf(LobbyRequest.class,
                roundTrip(new LobbyRequest("Lobby1", "c/2", LobbyRequest.ENTER, "user-9", "127.0.0.5", 0)));
        assertEquals(LobbyRequest.ENTER, request.request());
        assertEquals("user-9", request.user());
        assertEquals("127.0.0.5", request.origin());

        LobbyRequest quick = assertInstanceOf(LobbyRequest.class,
                roundTrip(LobbyRequest.quickPlay("c/3", null, "127.0.0.6", false, true, "arena", true, "godot3")));
        assertEquals(LobbyRequest.QUICK_PLAY, quick.request());
        assertFalse(quick.mesh());
        assertTrue(quick.serverHosted());
        assertEquals("arena", quick.game());
        assertTrue(quick.relay());
        assertEquals("godot3", quick.dialect());
        Relay packet = assertInstanceOf(Relay.class, roundTrip(Relay.packet("Lobby1", "c/3", 2, new byte[] {1, 2, 3})));
        assertEquals(Relay.Kinds.PACKET, packet.kind());
        assertEquals(2, packet.peer());
        assertArrayEquals(new byte[] {1, 2, 3}, packet.data());

        MatchTicket ticket = assertInstanceOf(MatchTicket.class, roundTrip(new MatchTicket(MatchTicket.SUBMIT, "c/4", 7,
                "127.0.0.7", "arena", "{\"region\":\"eu\"}", 1520.5, 2, 4, 2, "party-key-0123456789", 2, false, true)));
        assertEquals(1520.5, ticket.skill());
        assertEquals("{\"region\":\"eu\"}", ticket.properties());
        assertEquals("party-key-0123456789", ticket.party());
        assertTrue(ticket.mesh());
        MatchNotice notice = assertInstanceOf(MatchNotice.class, roundTrip(new MatchNotice("c/4", 7,
                MatchNotice.MATCHED, 0, 0, "Lobby2", "seat-token", true, null, null)));
        assertEquals("seat-token", notice.seat());
        assertTrue(notice.peerHosted());
        MatchLobby open = assertInstanceOf(MatchLobby.class, roundTrip(new MatchLobby(MatchLobby.OPEN, 9, "arena",
                false, false, "s1,s2", 3000, null)));
        assertEquals("s1,s2", open.seats());
        assertEquals(MatchLobby.OPENED, MatchLobby.answer(open, "Lobby3").action());
        assertEquals(9, MatchLobby.answer(open, null).match());
        GstSession frame = assertInstanceOf(GstSession.class, roundTrip(new GstSession(GstSession.FRAME, 1L << 40,
                true, null, "{\"sdp\":{\"type\":\"offer\"}}")));
        assertEquals(GstSession.FRAME, frame.action());
        assertEquals(1L << 40, frame.session());
        assertTrue(frame.fromCaller());
        assertEquals("{\"sdp\":{\"type\":\"offer\"}}", frame.frame());
        assertEquals("bob", assertInstanceOf(GstSession.class, roundTrip(new GstSession(GstSession.CALL, 2, true,
                "bob", null))).callee());

        MemberEvent event = assertInstanceOf(MemberEvent.class,
                roundTrip(new MemberEvent("c/2", MemberEvent.ASSIGNED, 1234, true, null)));
        assertEquals(MemberEvent.ASSIGNED, event.event());
        assertEquals(1234, event.id());
        assertTrue(event.flag());
        assertNull(event.text());
    }

    @Test
    void anEnvelopeOverTheSizeIsNeitherWrittenNorRead() {
        EnvelopeCodec small = new EnvelopeCodec(1024);
        Relay big = new Relay("Lobby1", "b/1", Relay.Kinds.OFFER, 1, "x".repeat(2000));
        IllegalArgumentException written = assertThrows(IllegalArgumentException.class,
                () -> small.encode(Envelope.of("a", big)));
        assertTrue(written.getMessage().contains("over 1024 bytes"), written.getMessage());

        byte[] bytes = codec.encode(Envelope.of("a", big));
        MalformedMessageException read = assertThrows(MalformedMessageException.class, () -> small.decode(bytes));
        assertTrue(read.getMessage().contains("over 1024"), read.getMessage());
    }

    /** An envelope's start, written by hand: the format, then the sending node "a". */
    private static Output header(int format) {
        Output output = new Output(64);
        output.writeVarInt(format, true);
        output.writeString("a");
        return output;
    }

    @Test
    void aLengthLargerThanWhatFollowsIsRefusedBeforeAnythingIsAllocatedForIt() {
        // format 1, node "a", then Relay (registered id 100) whose first tagged field claims a huge string
        Output output = header(EnvelopeCodec.FORMAT);
        output.writeVarInt(100 + 2, true); // Kryo writes a registered class as its id + 2
        output.writeVarInt(5 + 1, true); // five fields
        output.writeVarInt(1, true); // tag 1
        output.writeVarInt(1 + 2, true); // its value's class: String (id 1)
        output.writeVarIntFlag(true, Integer.MAX_VALUE - 1, true); // a UTF-8 string of 2^31 - 2 characters
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(output.toBytes()));
        assertTrue(e.getMessage().contains("characters with"), e.getMessage());
    }

    @Test
    void anUnknownMessageTypeAnOldFormatAndTrailingBytesAreRefusedWithTheirReason() {
        Output unknown = header(EnvelopeCodec.FORMAT);
        unknown.writeVarInt(999 + 2, true);
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> codec.decode(unknown.toBytes()));
        assertTrue(e.getMessage().contains("unregistered class ID: 999"), e.getMessage());

        Output old = header(0);
        e = assertThrows(MalformedMessageException.class, () -> codec.decode(old.toBytes()));
        assertTrue(e.getMessage().contains("older than this node reads"), e.getMessage());

        byte[] valid = codec.encode(Envelope.of("a", new MemberEvent("m", MemberEvent.SEALED, 0, false, null)));
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        e = assertThrows(MalformedMessageException.class, () -> codec.decode(longer));
        assertTrue(e.getMessage().contains("3 bytes after the message"), e.getMessage());
    }

    @Test
    void everyTruncationAndRandomDamageIsRefusedCleanly() {
        byte[] valid = codec.encode(Envelope.of("node-b", new Relay("Lobby1", "b/17", Relay.Kinds.CANDIDATE, 2,
                "\n0\n0\ncandidate:1 1 UDP 2122260223 10.213.0.2 40000 typ host")));
        for (int length = 0; length < valid.length; length++) {
            byte[] prefix = Arrays.copyOf(valid, length);
            assertThrows(MalformedMessageException.class, () -> codec.decode(prefix), "prefix of " + length);
        }
        Random random = new Random(14);
        for (int round = 0; round < 20_000; round++) {
            byte[] damaged = valid.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                codec.decode(damaged); // some damage still reads (a changed character): fine
            } catch (MalformedMessageException expected) {
                // refused with a reason: fine; any other throwable fails the test
            }
        }
    }

    /** Relay as a release before this one might have had it: without the payload (tag 5). */
    static final class OlderRelay {
        @Tag(1)
        String lobby;
        @Tag(2)
        String member;
        @Tag(3)
        int kind;
        @Tag(4)
        int peer;
    }

    /** Relay as the next release might have it: with a field this release does not know (tag 6). */
    static final class NewerRelay {
        @Tag(1)
        String lobby;
        @Tag(2)
        String member;
        @Tag(3)
        int kind;
        @Tag(4)
        int peer;
        @Tag(5)
        String payload;
        @Tag(6)
        String trace;
        @Tag(7)
        long sentAt;
    }

    private static byte[] writtenWith(Class<?> shape, Object message, int format) {
        Kryo kryo = EnvelopeCodec.newKryo(List.of(new EnvelopeCodec.Registration(100, shape)));
        Output output = new Output(256, -1);
        output.writeVarInt(format, true);
        output.writeString("node-old");
        kryo.writeClassAndObject(output, message);
        return output.toBytes();
    }

    @Test
    void aNodeReadsWhatTheReleaseBeforeAndTheReleaseAfterWrite() throws Exception {
        OlderRelay older = new OlderRelay();
        older.lobby = "Lobby1";
        older.member = "b/1";
        older.kind = Relay.Kinds.ANSWER;
        older.peer = 7;
        Relay fromOlder = (Relay) codec.decode(writtenWith(OlderRelay.class, older, EnvelopeCodec.FORMAT)).message();
        assertEquals("Lobby1", fromOlder.lobby());
        assertEquals(7, fromOlder.peer());
        assertNull(fromOlder.payload(), "a field the writer did not have is left at its default");

        NewerRelay newer = new NewerRelay();
        newer.lobby = "Lobby2";
        newer.member = "c/3";
        newer.kind = Relay.Kinds.CANDIDATE;
        newer.peer = 1;
        newer.payload = "\n0\n0\ncandidate:x";
        newer.trace = "t-1";
        newer.sentAt = 1_700_000_000_000L;
        Envelope fromNewer = codec.decode(writtenWith(NewerRelay.class, newer, EnvelopeCodec.FORMAT + 1));
        Relay relay = (Relay) fromNewer.message();
        assertEquals(EnvelopeCodec.FORMAT + 1, fromNewer.format());
        assertEquals("Lobby2", relay.lobby());
        assertEquals("\n0\n0\ncandidate:x", relay.payload(), "fields after the unknown ones still read");

        // and the other way: what this release writes, read by the older shape
        Kryo olderKryo = EnvelopeCodec.newKryo(List.of(new EnvelopeCodec.Registration(100, OlderRelay.class)));
        byte[] ours = codec.encode(Envelope.of("a", new Relay("Lobby3", "d/4", Relay.Kinds.OFFER, 2, "sdp")));
        Input input = new Input(ours);
        input.readVarInt(true);
        input.readString();
        OlderRelay read = (OlderRelay) olderKryo.readClassAndObject(input);
        assertEquals("Lobby3", read.lobby);
        assertEquals(2, read.peer);
        assertEquals(ours.length, input.position(), "the unknown field was read past");
    }

    /**
     * Envelopes as format 1 writes them, kept as bytes: a later release must still read these (or raise
     * OLDEST_READABLE on purpose, in a release whose notes say a rolling upgrade from 1 is not possible).
     */
    private static final String RELAY_FORMAT_1 =
            "016e6f64652de1660603020601034c6f626279b10203622f31b705030a300a300a63616e6469646174653ab1040204";

    @Test
    void formatOnesBytesStillRead() throws Exception {
        byte[] kept = HexFormat.of().parseHex(RELAY_FORMAT_1);
        Relay relay = (Relay) codec.decode(kept).message();
        assertEquals("Lobby1", relay.lobby());
        assertEquals("b/17", relay.member());
        assertEquals(Relay.Kinds.CANDIDATE, relay.kind());
        assertEquals(2, relay.peer());
        assertEquals("\n0\n0\ncandidate:1", relay.payload());
        assertNull(relay.data(), "format 2's packet field, which format 1 did not write");
    }

    /** A LobbyRequest ENTER as format 1 wrote it, before the quick-play fields (tags 8 and 9). */
    private static final String ENTER_FORMAT_1 =
            "016e6f64652de16708070006020001034c6f626279b10203622f31b705033132372e302e302eb50302020400";

    @Test
    void aFormatOneRequestReadsWithTheFieldsItLackedAtTheirDefaults() throws Exception {
        byte[] kept = HexFormat.of().parseHex(ENTER_FORMAT_1);
        Envelope envelope = codec.decode(kept);
        assertEquals(1, envelope.format());
        LobbyRequest request = (LobbyRequest) envelope.message();
        assertEquals(LobbyRequest.ENTER, request.request());
        assertEquals("Lobby1", request.lobby());
        assertEquals("b/17", request.member());
        assertEquals("127.0.0.5", request.origin());
        assertFalse(request.mesh());
        assertFalse(request.serverHosted());
        assertNull(request.game());
        assertNull(request.dialect(), "format 1 knew Godot 4 only");
    }

    @Test
    void aBatchCarriesSeveralMessagesInOrderAndIsReadAsWarilyAsOne() throws Exception {
        List<Object> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(new Relay("Lobby1", "b/17", Relay.Kinds.CANDIDATE, i, "\n0\n0\ncandidate:" + i));
        }
        sent.add(new MemberEvent("b/17", MemberEvent.SEALED, 0, false, null));
        byte[] bytes = codec.encode("node-a", sent);
        Envelope read = codec.decode(bytes);
        assertEquals("node-a", read.from());
        List<Object> messages = assertInstanceOf(Batch.class, read.message()).messages();
        assertEquals(51, messages.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, ((Relay) messages.get(i)).peer(), "in the order sent");
        }
        assertInstanceOf(MemberEvent.class, messages.get(50));
        assertInstanceOf(Relay.class, codec.decode(codec.encode("node-a", List.of(sent.get(0)))).message(),
                "one message goes alone, as format 1 reads it");

        for (int length = 1; length < bytes.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(bytes, length);
            assertThrows(MalformedMessageException.class, () -> codec.decode(prefix), "prefix of " + length);
        }
        assertThrows(IllegalArgumentException.class, () -> new EnvelopeCodec(1024).encode("node-a", sent),
                "over the size: not written");
        assertThrows(IllegalArgumentException.class, () -> codec.encode("node-a",
                List.of(sent.get(0), new Batch(new byte[] {1}, List.of()))));
    }
}

package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Random and mutated frames on every signaling dialect's path, while a healthy lobby of each dialect works beside
 * them: a fuzzed connection stays open or closes with a documented code and reason, and the healthy lobbies never
 * notice.
 */
class DialectFuzzTest {

    private static final int CLIENTS_PER_PATH = 40;
    private static final int FRAMES_PER_CLIENT = 40;
    /** Every reason a signaling dialect may close with (docs/protocol.md). */
    private static final Set<String> DOCUMENTED = Set.of("Invalid message format", "Invalid command",
            "Have not joined lobby yet", "Invalid transfer mode, must be text", "Lobby does not exists",
            "Only host can seal the lobby", "Lobby is sealed", "Too many lobbies open, disconnecting",
            "Already in a lobby", "Invalid message when not in a lobby", "Invalid destination", "Lobby is full",
            "Room host has disconnected", "Lobby closed", "Message rate exceeded", "Server-hosted lobbies are not available",
            // ###! rooms
            "Player Not Registered", "Player AFK In Lobby", "Host Disconnected", "Room Cleaned Up", "Room Is Inactive");
    /** GStreamer's handshake failures close with 1002, as its reference server does. */
    private static final Set<String> DOCUMENTED_1002 = Set.of("invalid protocol", "invalid peer uid", "no HELLO in time",
            "too many frames before an answer");
    private static final List<String> PATHS = List.of("/", "/godot3", "/gst", "/rooms");

    private static TestServer server;
    /** Every ERROR the server logs: a failed lobby task or a listener exception would show up here. */
    private static final ListAppender<ILoggingEvent> ERRORS = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        ERRORS.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.ERROR) ? FilterReply.ACCEPT : FilterReply.DENY;
            }
        });
        ERRORS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(ERRORS);
        server = new TestServer("--no-lobby-timeout", "30000", "--seal-timeout", "60000", "--rooms-idle-timeout",
                "600000");
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(ERRORS);
        server.close();
    }

    private static final String[] GODOT4_SEEDS = {
        "{\"type\":0,\"id\":0,\"data\":\"\"}", "{\"type\":0,\"id\":1,\"data\":\"*\"}", "{\"type\":7,\"id\":0,\"data\":\"\"}",
        "{\"type\":4,\"id\":1,\"data\":\"v=0\"}", "{\"type\":6,\"id\":2,\"data\":\"\\n0\\n0\\ncandidate\"}"};
    private static final String[] GODOT3_SEEDS = {"J: \n", "J: *\n", "S: \n", "O: 1\nv=0", "A: 1\nv=0",
        "C: 1\n\n0\n0\ncandidate"};
    private static final String[] GSTREAMER_SEEDS = {"HELLO fuzz", "HELLO", "SESSION fuzz", "ROOM r1", "ROOM session",
        "ROOM_PEER_MSG fuzz {\"sdp\":{}}", "ROOM_PEER_LIST", "{\"ice\":{\"candidate\":\"c\",\"sdpMLineIndex\":0}}"};
    private static final String[] ROOMS_SEEDS = {"{\"command\":\"###!RP\",\"data\":\"fuzz\"}",
        "{\"command\":\"###!CR\",\"data\":\"null\"}", "{\"command\":\"###!JR\",\"data\":\"x\"}",
        "{\"command\":\"###!SR\",\"data\":\"null\"}", "{\"command\":\"###!SM\",\"data\":{\"a\":[1]}}",
        "{\"command\":\"###!OO\",\"data\":{\"id\":1,\"rtc\":{}}}", "{\"command\":\"###!CC\",\"data\":{\"id\":2}}"};
    private static final String NOISE = "{}[]\":,01-9eE.\\ntrueJSOACIND#!RPMS_ \n\u00e9\u0000\uffff";

    private static String[] seeds(String path) {
        return switch (path) {
            case "/" -> GODOT4_SEEDS;
            case "/godot3" -> GODOT3_SEEDS;
            case "/gst" -> GSTREAMER_SEEDS;
            default -> ROOMS_SEEDS;
        };
    }

    private static String mutate(Random random, String seed) {
        StringBuilder frame = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = frame.length() == 0 ? 0 : random.nextInt(frame.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> frame.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 1 -> {
                    if (at < frame.length()) {
                        frame.deleteCharAt(at);
                    }
                }
                case 2 -> frame.insert(at, Integer.toString(random.nextInt()));
                default -> frame.setLength(Math.min(frame.length(), at));
            }
        }
        return frame.toString();
    }

    private static String random(Random random) {
        StringBuilder frame = new StringBuilder();
        for (int n = random.nextInt(30); n > 0; n--) {
            frame.append(NOISE.charAt(random.nextInt(NOISE.length())));
        }
        return frame.toString();
    }

    @Test
    void fuzzedConnectionsCloseAsDocumentedAndHealthyLobbiesNeverNotice() throws Exception {
        // one healthy lobby per dialect, host and member, before the noise starts
        SignalingClient host4 = server.connect();
        String lobby4 = host4.create(true);
        SignalingClient member4 = server.connect();
        member4.send(SignalMessage.JOIN, 0, lobby4);
        int id4 = member4.next().id();
        member4.next();
        member4.next();
        host4.next();
        SignalingClient host3 = server.connect("/godot3");
        host3.sendRaw("J: \n");
        assertEquals("I: 1\n", host3.nextRaw());
        String lobby3 = host3.nextRaw().substring(3).trim();
        SignalingClient member3 = server.connect("/godot3");
        member3.sendRaw("J: " + lobby3 + "\n");
        String id3 = member3.nextRaw().substring(3).trim();
        member3.nextRaw();
        member3.nextRaw();
        host3.nextRaw();
        // GStreamer room and ###! room, with names no fuzzer uses
        SignalingClient gstA = server.connect("/gst");
        gstA.sendRaw("HELLO healthy-a-7f3e");
        SignalingClient gstB = server.connect("/gst");
        gstB.sendRaw("HELLO healthy-b-7f3e");
        assertEquals("HELLO", gstA.nextRaw());
        assertEquals("HELLO", gstB.nextRaw());
        gstA.sendRaw("ROOM healthy-room-7f3e");
        assertEquals("ROOM_OK ", gstA.nextRaw());
        gstB.sendRaw("ROOM healthy-room-7f3e");
        assertEquals("ROOM_OK healthy-a-7f3e", gstB.nextRaw());
        assertEquals("ROOM_PEER_JOINED healthy-b-7f3e", gstA.nextRaw());
        SignalingClient roomHost = RoomProtocolTest.register(server, "healthy-host");
        String roomName = RoomProtocolTest.create(roomHost);
        SignalingClient roomMember = RoomProtocolTest.register(server, "healthy-member");
        int roomMemberId = RoomProtocolTest.join(roomMember, roomName, List.of("healthy-host", "healthy-member"));
        RoomProtocolTest.expect(roomHost, "RPC");

        Random random = new Random(20261121L);
        List<SignalingClient> fuzzers = new ArrayList<>();
        for (String path : PATHS) {
            String[] seeds = seeds(path);
            for (int c = 0; c < CLIENTS_PER_PATH; c++) {
                SignalingClient fuzzer = server.connect(path);
                fuzzers.add(fuzzer);
                if (path.equals("/gst") && !handshake(fuzzer, random, c)) {
                    continue;
                }
                if (random.nextBoolean()) {
                    // half start from a lobby of their own, so the noise reaches the states behind a join
                    fuzzer.sendRaw(seeds[random.nextInt(2)]);
                }
                for (int f = 0; f < FRAMES_PER_CLIENT && fuzzer.isOpen(); f++) {
                    int pick = random.nextInt(10);
                    if (pick < 3) {
                        fuzzer.sendRaw(seeds[random.nextInt(seeds.length)]);
                    } else if (pick == 3) {
                        byte[] bytes = new byte[random.nextInt(8)];
                        random.nextBytes(bytes);
                        fuzzer.sendBinary(bytes);
                    } else if (pick < 6) {
                        fuzzer.sendRaw(random(random));
                    } else {
                        fuzzer.sendRaw(mutate(random, seeds[random.nextInt(seeds.length)]));
                    }
                }
            }
        }
        int ended = 0;
        for (int i = 0; i < fuzzers.size(); i++) {
            SignalingClient fuzzer = fuzzers.get(i);
            if (PATHS.get(i / CLIENTS_PER_PATH).equals("/rooms")) {
                // the ###! rooms close nobody for bad frames (they answer ICB): one still open must still answer
                expectAnswerOrDocumentedClose(fuzzer);
            } else {
                // a fuzzer still open gets a frame that must close it, so every one ends in a close we can read
                fuzzer.sendBinary(new byte[] {0});
                assertDocumented(fuzzer.awaitClose());
            }
            ended++;
        }
        assertEquals(PATHS.size() * CLIENTS_PER_PATH, ended);

        // the healthy lobbies still relay, both ways, in both dialects, and heard nothing in between (fuzzers cannot
        // name them: lobby names are 16 random characters)
        host4.send(SignalMessage.OFFER, id4, "after the noise");
        assertEquals(new SignalMessage(SignalMessage.OFFER, 1, "after the noise"), member4.next());
        host3.sendRaw("O: " + id3 + "\nafter the noise");
        assertEquals("O: 1\nafter the noise", member3.nextRaw());
        member3.sendRaw("A: 1\nstill here");
        assertEquals("A: " + id3 + "\nstill here", host3.nextRaw());
        gstB.sendRaw("ROOM_PEER_MSG healthy-a-7f3e after the noise");
        assertEquals("ROOM_PEER_MSG healthy-b-7f3e after the noise", gstA.nextRaw());
        RoomProtocolTest.send(roomHost, "OO", "{\"id\":" + roomMemberId + ",\"rtc\":\"after the noise\"}");
        RoomProtocolTest.expect(roomMember, "OOO", "{\"id\":1,\"rtc\":\"after the noise\"}");
        assertTrue(host4.isOpen() && member4.isOpen() && host3.isOpen() && member3.isOpen());
        assertTrue(gstA.isOpen() && gstB.isOpen() && roomHost.isOpen() && roomMember.isOpen());
        assertTrue(server.server.lobbies().lobbyExists(lobby4) && server.server.lobbies().lobbyExists(lobby3));
        assertEquals(List.of(), ERRORS.list.stream().map(ILoggingEvent::getFormattedMessage).toList(),
                "errors logged while fuzzing");
    }

    /**
     * GStreamer's handshake, fuzzed one frame at a time: a bad HELLO closes with 1002, after which Jetty drops the
     * socket at once (it treats 1002 as abnormal), so a client still writing could see a reset instead of the close.
     * Half send a good HELLO. Returns whether the fuzzer is registered and may go on.
     */
    private static boolean handshake(SignalingClient fuzzer, Random random, int c) throws Exception {
        String first = random.nextBoolean() ? "HELLO fuzz-" + c
                : random.nextBoolean() ? mutate(random, "HELLO fuzz-" + c) : random(random);
        fuzzer.sendRaw(first);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String reply = fuzzer.poll(Duration.ofMillis(20));
            if (reply != null) {
                assertTrue(reply.startsWith("HELLO"), first + " got " + reply);
                return true;
            }
            if (!fuzzer.isOpen()) {
                assertDocumented(fuzzer.awaitClose());
                return false;
            }
        }
        throw new AssertionError("no answer to the handshake " + first);
    }

    private static void assertDocumented(CloseStatus status) {
        boolean documented = status.code() == 4000 && DOCUMENTED.contains(status.reason())
                || status.code() == 1002 && DOCUMENTED_1002.contains(status.reason());
        assertTrue(documented, "undocumented close: " + status);
    }

    private static final String PROBE_ANSWER = "{\"command\":\"###!ICB\",\"data\":\"Command Not Found\"}";

    private static void expectAnswerOrDocumentedClose(SignalingClient fuzzer) throws Exception {
        fuzzer.sendRaw("{\"command\":\"###!ZZ\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String frame = fuzzer.poll(Duration.ofMillis(50));
            if (PROBE_ANSWER.equals(frame)) {
                return;
            }
            if (frame == null && !fuzzer.isOpen()) {
                assertDocumented(fuzzer.awaitClose());
                return;
            }
        }
        throw new AssertionError("a ###! connection neither answered nor closed within 10 s");
    }
}

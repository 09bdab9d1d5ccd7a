package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.net.CloseStatus;
import io.meshgate.wire.godot4.SignalMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
            "Room host has disconnected", "Lobby closed", "Message rate exceeded", "Server-hosted lobbies are not available");

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--no-lobby-timeout", "30000", "--seal-timeout", "60000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String[] GODOT4_SEEDS = {
        "{\"type\":0,\"id\":0,\"data\":\"\"}", "{\"type\":0,\"id\":1,\"data\":\"*\"}", "{\"type\":7,\"id\":0,\"data\":\"\"}",
        "{\"type\":4,\"id\":1,\"data\":\"v=0\"}", "{\"type\":6,\"id\":2,\"data\":\"\\n0\\n0\\ncandidate\"}"};
    private static final String[] GODOT3_SEEDS = {"J: \n", "J: *\n", "S: \n", "O: 1\nv=0", "A: 1\nv=0",
        "C: 1\n\n0\n0\ncandidate"};
    private static final String NOISE = "{}[]\":,01-9eE.\\ntrueJSOACIND \n\u00e9\u0000\uffff";

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

        Random random = new Random(20261121L);
        List<SignalingClient> fuzzers = new ArrayList<>();
        for (String path : List.of("/", "/godot3")) {
            String[] seeds = path.equals("/") ? GODOT4_SEEDS : GODOT3_SEEDS;
            for (int c = 0; c < CLIENTS_PER_PATH; c++) {
                SignalingClient fuzzer = server.connect(path);
                fuzzers.add(fuzzer);
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
        int closed = 0;
        for (SignalingClient fuzzer : fuzzers) {
            // a fuzzer still open gets a frame that must close it, so every one ends in a close we can read
            fuzzer.sendBinary(new byte[] {0});
            CloseStatus status = fuzzer.awaitClose();
            assertTrue(status.code() == 4000 && DOCUMENTED.contains(status.reason()), "undocumented close: " + status);
            closed++;
        }
        assertEquals(2 * CLIENTS_PER_PATH, closed);

        // the healthy lobbies still relay, both ways, in both dialects, and heard nothing in between (fuzzers cannot
        // name them: lobby names are 16 random characters)
        host4.send(SignalMessage.OFFER, id4, "after the noise");
        assertEquals(new SignalMessage(SignalMessage.OFFER, 1, "after the noise"), member4.next());
        host3.sendRaw("O: " + id3 + "\nafter the noise");
        assertEquals("O: 1\nafter the noise", member3.nextRaw());
        member3.sendRaw("A: 1\nstill here");
        assertEquals("A: " + id3 + "\nstill here", host3.nextRaw());
        assertTrue(host4.isOpen() && member4.isOpen() && host3.isOpen() && member3.isOpen());
        assertTrue(server.server.lobbies().lobbyExists(lobby4) && server.server.lobbies().lobbyExists(lobby3));
    }
}

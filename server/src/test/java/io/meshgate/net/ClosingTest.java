package io.meshgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RawWebSocket;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A close the server starts reaches the client as a close frame, however many close at once and however often the
 * watchdog sweeps; a client that never answers it is cut, but only once the close timeout has passed.
 */
class ClosingTest {

    /** A Godot 4 mesh lobby of {@code size} raw clients, the host first. */
    private static List<RawWebSocket> lobby(TestServer server, int size) throws IOException {
        List<RawWebSocket> members = new ArrayList<>();
        RawWebSocket host = new RawWebSocket(server.port(), "/");
        members.add(host);
        host.writeText(SignalCodec.encode(SignalMessage.JOIN, 0, ""));
        String name = host.readGodot4Join();
        for (int i = 1; i < size; i++) {
            RawWebSocket member = new RawWebSocket(server.port(), "/");
            members.add(member);
            member.writeText(SignalCodec.encode(SignalMessage.JOIN, 0, name));
            member.readGodot4Join();
        }
        return members;
    }

    /**
     * Lobbies on different lobby threads close all their members at the same moment while the watchdog sweeps every
     * 5 ms (a 20 ms ping interval sets that pace). A connection the sweep saw as closing before it knew since when was
     * cut at once, its close frame unsent: the client saw its connection drop without a reason.
     */
    @Test
    void everyMemberOfLobbiesClosedAtOnceReadsItsCloseFrame() throws Exception {
        try (TestServer server = new TestServer("--ping-interval", "20", "--pong-timeout", "10000",
                "--seal-timeout", "200", "--max-peers-per-address", "1000")) {
            for (int round = 0; round < 3; round++) {
                List<List<RawWebSocket>> lobbies = new ArrayList<>();
                try {
                    for (int i = 0; i < 8; i++) {
                        lobbies.add(lobby(server, 20));
                    }
                    for (List<RawWebSocket> lobby : lobbies) {
                        lobby.get(0).writeText(SignalCodec.encode(SignalMessage.SEAL, 0, ""));
                    }
                    Map<String, Integer> told = new TreeMap<>();
                    for (List<RawWebSocket> lobby : lobbies) {
                        for (RawWebSocket member : lobby) {
                            String close;
                            try {
                                RawWebSocket.Frame frame = member.readUntilClose();
                                close = frame.closeCode() + " " + frame.closeReason();
                            } catch (IOException e) {
                                close = "no close frame: " + e;
                            }
                            told.merge(close, 1, Integer::sum);
                        }
                    }
                    assertEquals(Map.of("1000 Seal complete", 160), told, "what the 160 members of round " + round
                            + " were told");
                } finally {
                    for (List<RawWebSocket> lobby : lobbies) {
                        for (RawWebSocket member : lobby) {
                            member.close();
                        }
                    }
                }
            }
        }
    }

    /** The close timeout is the pong timeout: a client that reads the close frame and never answers is cut after it. */
    @Test
    void aClientThatNeverAnswersACloseIsCutOnlyAfterTheCloseTimeout() throws Exception {
        try (TestServer server = new TestServer("--pong-timeout", "600", "--seal-timeout", "1")) {
            List<RawWebSocket> members = lobby(server, 2);
            try {
                members.get(0).writeText(SignalCodec.encode(SignalMessage.SEAL, 0, ""));
                for (RawWebSocket member : members) {
                    RawWebSocket.Frame close = member.readUntilClose();
                    assertEquals("1000 Seal complete", close.closeCode() + " " + close.closeReason());
                }
                long closedAt = System.nanoTime();
                // Jetty half-closes after its close frame, so the client's EOF says nothing: the server's count does
                Eventually.await("the server cut both connections", () -> server.server.connections().count() == 0);
                long waitedMs = (System.nanoTime() - closedAt) / 1_000_000;
                // the close began before its frame arrived, so the cut may come a little under 600 ms after it
                assertTrue(waitedMs >= 400, "the server waited out the close timeout before cutting: " + waitedMs
                        + " ms");
            } finally {
                for (RawWebSocket member : members) {
                    member.close();
                }
            }
        }
    }
}

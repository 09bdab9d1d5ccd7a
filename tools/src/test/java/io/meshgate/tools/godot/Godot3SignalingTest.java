package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Godot 3.2 engines (godot3-server) run Godot 3's text signaling protocol on /godot3 through create, join,
 * peer notices, offer/answer/candidate relay, seal and teardown, judged from what the engines printed.
 */
class Godot3SignalingTest {

    @Test
    void twoGodot3EnginesSignalThroughALobbyUntilItIsSealed(@TempDir Path home) throws Exception {
        TestServer server = new TestServer("--seal-timeout", "500");
        Path script = Path.of("src", "test", "godot3", "signaling_client.gd");
        String url = "ws://127.0.0.1:" + server.port() + "/godot3";
        try (GodotRuntime.Running a = GodotRuntime.godot3(script, home, List.of("--url", url, "--role", "creator"))) {
            assertEquals("BOT-ID|1", a.await("BOT-ID|", 30).trim());
            String lobby = a.await("BOT-LOBBY|", 30).trim().substring("BOT-LOBBY|".length());
            try (GodotRuntime.Running b = GodotRuntime.godot3(script, home,
                    List.of("--url", url, "--role", "joiner", "--lobby", lobby))) {
                int idB = Integer.parseInt(b.await("BOT-ID|", 30).trim().substring("BOT-ID|".length()));
                assertTrue(idB > 1);
                b.await("BOT-PEER|1", 30);
                assertEquals("BOT-LOBBY|" + lobby, b.await("BOT-LOBBY|", 30).trim());
                a.await("BOT-PEER|" + idB, 30);
                // the lower id offered; each side sees the other as the source
                assertEquals("BOT-OFFER|1|offer-from-1", b.await("BOT-OFFER|", 30).trim());
                assertEquals("BOT-ANSWER|" + idB + "|answer-from-" + idB, a.await("BOT-ANSWER|", 30).trim());
                assertEquals("BOT-CANDIDATE|" + idB + "|data|0|candidate-from-" + idB, a.await("BOT-CANDIDATE|", 30).trim());
                a.await("BOT-SEALED", 30);
                b.await("BOT-SEALED", 30);
                for (GodotRuntime.Running engine : List.of(a, b)) {
                    assertEquals("BOT-CLOSE|1000|Seal complete", engine.await("BOT-CLOSE|", 30).trim());
                    assertTrue(engine.await("BOT-DONE|", 30).contains("closed"));
                    assertEquals(0, engine.waitFor(30));
                    assertTrue(engine.lines().stream().noneMatch(l -> l.contains("BOT-BAD") || l.contains("SCRIPT ERROR")),
                            String.join("\n", engine.lines()));
                }
            }
        } finally {
            server.close();
        }
    }
}

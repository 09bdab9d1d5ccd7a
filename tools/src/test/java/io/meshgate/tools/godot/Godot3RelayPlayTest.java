package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Godot 3.2 engines (godot3-server) play the demo arena through /relay/godot3/: two players with the engine's
 * own WebSocketClient as network_peer see each other move, and a third process that lies about {@code from} gets
 * none of its lies delivered while its honest packet arrives.
 */
class Godot3RelayPlayTest {

    @Test
    void twoGodot3EnginesPlayThroughTheRelayAndForgedSendersAreDropped(@TempDir Path home) throws Exception {
        TestServer server = new TestServer();
        Path script = Path.of("src", "test", "godot3", "relay_player.gd");
        String url = "ws://127.0.0.1:" + server.port() + "/relay/godot3/*"; // quick play: all three in one lobby
        Files.createDirectories(home);
        try (GodotRuntime.Running a = GodotRuntime.godot3(script, home, List.of("--url", url, "--role", "player"));
             GodotRuntime.Running b = GodotRuntime.godot3(script, home, List.of("--url", url, "--role", "player"));
             GodotRuntime.Running forger = GodotRuntime.godot3(script, home, List.of("--url", url, "--role", "forger"))) {
            int idA = Integer.parseInt(a.await("BOT-ID|", 30).split("\\|")[1]);
            int idB = Integer.parseInt(b.await("BOT-ID|", 30).split("\\|")[1]);
            int idForger = Integer.parseInt(forger.await("BOT-ID|", 30).split("\\|")[1]);
            // the engine's own network_peer took SYS_ID and SYS_ADD(1), and decoded the game's welcome with bytes2var
            assertEquals("BOT-WELCOME|" + idA, a.await("BOT-WELCOME|", 30).trim());
            assertEquals("BOT-WELCOME|" + idB, b.await("BOT-WELCOME|", 30).trim());
            a.await("BOT-PEER|" + idB, 30);
            b.await("BOT-PEER|" + idA, 30);
            // each engine saw the other's moves in the server's snapshots, translated to Godot 3's Variant table
            a.await("BOT-SAW-MOVE|" + idB, 30);
            b.await("BOT-SAW-MOVE|" + idA, 30);
            forger.await("BOT-FORGER-SENT|", 30);
            // the forger's honest packet, sent after its lies, arrived: so the lies had their chance and were dropped
            a.await("BOT-GENUINE|" + idForger, 30);
            b.await("BOT-GENUINE|" + idForger, 30);
            for (GodotRuntime.Running engine : List.of(a, b, forger)) {
                assertEquals(0, engine.waitFor(60));
                assertTrue(engine.await("BOT-DONE|", 5).contains("satisfied=True"), String.join("\n", engine.lines()));
                List<String> lines = engine.lines();
                assertTrue(lines.stream().noneMatch(l -> l.contains("BOT-FORGED") || l.contains("SCRIPT ERROR")
                        || l.contains("BOT-UNREADABLE")), String.join("\n", lines));
            }
        } finally {
            server.close();
        }
    }
}

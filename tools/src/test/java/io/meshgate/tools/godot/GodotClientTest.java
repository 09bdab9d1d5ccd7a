package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.TestServer;
import io.meshgate.tools.pck.Pck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Godot 4.6 clients (GDScript, WebRTCMultiplayerPeer, SceneMultiplayer) in headless Chromium against the server
 * as peer 1, inside the test network namespace: the engine itself judges whether the server is a good peer 1.
 */
@Tag("netns")
class GodotClientTest {

    @Test
    void twoGodotClientsPlayTheArenaWithTheServerAsPeerOne(@TempDir Path work) throws Exception {
        ArenaGames games = new ArenaGames();
        TestServer server = new TestServer(games, "--rtc-reveal-cidrs", "10.213.0.0/24", "--no-lobby-timeout", "30000");
        Path pck = work.resolve("bot.pck");
        new Pck(4, 6, 0).addDirectory(Path.of("src/test/godot4/rtc_bot")).write(pck);
        String url = "ws://127.0.0.1:" + server.port() + "/";
        try (GodotRuntime.Running a = GodotRuntime.start(pck, "BOT-DONE", 1,
                List.of("--url", url, "--join-id", "3", "--snapshots", "30", "--players", "2"))) {
            String lobby = a.await("BOT-JOINED|", 60).split("\\|")[1];
            try (GodotRuntime.Running b = GodotRuntime.start(pck, "BOT-DONE", 1,
                    List.of("--url", url, "--lobby", lobby, "--join-id", "0", "--snapshots", "30", "--players", "2"))) {
                int idA = Integer.parseInt(a.await("BOT-ID|", 30).split("\\|")[1]);
                // The server's side of the game, sampled while it runs: the last input seen from engine a.
                java.util.concurrent.atomic.AtomicLong serverSeq = new java.util.concurrent.atomic.AtomicLong(-1);
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ArenaGame game : games.all()) {
                            ArenaGame.View view = game.view().get(idA);
                            if (view != null) {
                                serverSeq.accumulateAndGet(view.lastSeq(), Math::max);
                            }
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                int idB = Integer.parseInt(b.await("BOT-ID|", 30).split("\\|")[1]);
                for (GodotRuntime.Running bot : List.of(a, b)) {
                    bot.await("BOT-CONNECTED|", 60); // the engine's connected_to_server: all three channels open
                    bot.await("BOT-PEER|1", 10);
                    bot.await("BOT-WELCOME|", 30); // peer_packet from 1, decoded with bytes_to_var
                }
                // SceneMultiplayer's server relay: each engine admitted the other through peer 1's ADD_PEER
                a.await("BOT-PEER|" + idB, 30);
                b.await("BOT-PEER|" + idA, 30);
                String resultA = a.await("BOT-RESULT|", 60);
                String resultB = b.await("BOT-RESULT|", 60);
                sampler.interrupt();
                assertTrue(resultA.contains("players=2") && resultB.contains("players=2"), resultA + " / " + resultB);
                // in the engine's own snapshots, the server moved it right (or to the wall), as its inputs asked
                for (String result : List.of(resultA, resultB)) {
                    double firstX = Double.parseDouble(result.replaceAll(".*first_x=([0-9.]+).*", "$1"));
                    double lastX = Double.parseDouble(result.replaceAll(".*\\|x=([0-9.]+).*", "$1"));
                    assertTrue(lastX > firstX + 50 || lastX > ArenaGame.WIDTH - ArenaGame.PLAYER_RADIUS - 1, result);
                }
                assertTrue(serverSeq.get() > 3, "the server applied engine a's inputs, up to seq " + serverSeq.get());
                assertEquals(0, a.waitFor(60), "bot a printed BOT-DONE");
                assertEquals(0, b.waitFor(60), "bot b printed BOT-DONE");
            }
        } finally {
            server.close();
        }
    }
}

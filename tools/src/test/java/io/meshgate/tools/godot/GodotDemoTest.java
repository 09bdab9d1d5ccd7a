package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.TestServer;
import io.meshgate.tools.pck.Pck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end with the real engine: godot-demo, packed and served by the server at /play/, runs as bots in headless
 * Chromium tabs inside the test namespace. Asserted from the bots' own lines and from the server's state.
 */
@Tag("netns")
class GodotDemoTest {

    private static final Pattern OPEN = Pattern.compile("\\[tab (\\d+) \\+(\\d+)ms\\] BOT-CHANNELS-OPEN\\|");
    private static final Pattern RATE = Pattern.compile("snapshot-rate=([0-9.]+)");
    private static final ArenaGames games = new ArenaGames();
    private static final AtomicInteger mostPlayers = new AtomicInteger();
    private static TestServer server;
    private static Thread sampler;

    @BeforeAll
    static void start() throws Exception {
        Path play = Files.createTempDirectory("meshgate-play");
        for (String file : List.of("index.js", "index.wasm", "index.audio.worklet.js", "index.audio.position.worklet.js")) {
            Files.copy(GodotRuntime.directory().resolve(file), play.resolve(file));
        }
        new Pck(4, 6, 0).addDirectory(Path.of("..", "godot-demo")).write(play.resolve("demo.pck"));
        server = new TestServer(games, "--rtc-reveal-cidrs", "10.213.0.0/24", "--play-dir", play.toString(),
                "--no-lobby-timeout", "30000");
        // The server's view of the arena while bots play: the most players one game held.
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                games.all().forEach(g -> mostPlayers.accumulateAndGet(g.view().size(), Math::max));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
    }

    @AfterAll
    static void stop() {
        sampler.interrupt();
        server.close();
    }

    private static String play(String query) {
        return "http://127.0.0.1:" + server.port() + "/play/?bot&url=ws://127.0.0.1:" + server.port() + "/&" + query;
    }

    private static List<String> runTabs(String page, int tabs) throws Exception {
        List<String> command = List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(),
                "--page", page, "--marker", "BOT-DONE", "--timeout", "90000", "--tabs", Integer.toString(tabs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "runner finished");
        assertEquals(0, process.exitValue(), "every tab printed BOT-DONE:\n" + String.join("\n", lines));
        return lines;
    }

    @Test
    void godotBotsPlayTheServersArenaLoadedFromPlay() throws Exception {
        int tabs = 3;
        // peers=3: each bot starts its 5 s once the server and both other bots are there, however slowly tabs boot
        List<String> lines = runTabs(play("lobby=*&hosting=server&seconds=5&peers=3"), tabs);
        List<String> done = lines.stream().filter(l -> l.contains("BOT-DONE|")).toList();
        assertEquals(tabs, done.size(), String.join("\n", lines));
        assertTrue(done.stream().allMatch(l -> l.contains("BOT-DONE|ok")), String.join("\n", done));
        List<String> results = lines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
        assertEquals(tabs, results.size());
        List<Double> rates = new ArrayList<>();
        for (String result : results) {
            assertTrue(result.contains("players=3"), "each bot saw all three in one quick-play lobby: " + result);
            Matcher rate = RATE.matcher(result);
            assertTrue(rate.find(), result);
            rates.add(Double.parseDouble(rate.group(1)));
        }
        assertTrue(rates.stream().allMatch(r -> r > 20), "snapshots at about the 30 Hz tick rate: " + rates);
        assertEquals(3, mostPlayers.get(), "the server's game held the three bots at once");
        List<Long> loadToOpen = new ArrayList<>();
        for (String line : lines) {
            Matcher open = OPEN.matcher(line);
            if (open.find()) {
                loadToOpen.add(Long.parseLong(open.group(2)));
            }
        }
        assertEquals(tabs, loadToOpen.size());
        System.out.println("E2E server-hosted: page load to channels open (ms) " + loadToOpen
                + ", snapshots per second " + rates);
    }

    @Test
    void aPersonPlaysFromTheLobbyScreen(@org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        // Positions the server's arena held for any player, sampled while the person plays.
        java.util.Map<Integer, float[]> ys = new ConcurrentHashMap<>(); // id -> {first y, last y}
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (ArenaGame game : games.all()) {
                    game.view().forEach((id, view) -> ys.merge(id, new float[] {view.y(), view.y()},
                            (old, now) -> new float[] {old[0], now[1]}));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watch.setDaemon(true);
        watch.start();
        Path shot = work.resolve("arena.png");
        Process ui = new ProcessBuilder("node", Path.of("..", "tools", "browser", "ui_check.mjs").toString(), "--url",
                "http://127.0.0.1:" + server.port() + "/play/", "--screenshot", shot.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new String(ui.getInputStream().readAllBytes()).lines().toList();
        assertTrue(ui.waitFor(90, java.util.concurrent.TimeUnit.SECONDS));
        watch.interrupt();
        assertEquals(0, ui.exitValue(), String.join("\n", lines));
        assertTrue(lines.contains("UI: done"), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("ERROR")), "the engine logged no error:\n"
                + String.join("\n", lines));
        assertTrue(Files.size(shot) > 1000, "a screenshot was taken");
        // Quick play put the person in a server-hosted lobby, and ArrowDown moved their player down (or to the wall)
        assertTrue(ys.values().stream().anyMatch(y -> y[1] > y[0] + 100
                || y[1] >= ArenaGame.HEIGHT - ArenaGame.PLAYER_RADIUS - 0.01f), "the player moved down: " + ys);
    }

    @Test
    void aRelayPlayerAndAWebRtcPlayerShareOneGame() throws Exception {
        List<String> command = List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(), "--page",
                "PAGE", "--marker", "BOT-DONE", "--timeout", "90000");
        List<Process> runners = new ArrayList<>();
        for (String query : List.of("lobby=*&hosting=server&seconds=4&peers=2", "relay&lobby=*&seconds=4&peers=2")) {
            List<String> args = new ArrayList<>(command);
            args.set(3, play(query));
            runners.add(new ProcessBuilder(args).redirectErrorStream(true).start());
        }
        List<List<String>> outputs = new ArrayList<>();
        for (Process runner : runners) {
            List<String> lines = new String(runner.getInputStream().readAllBytes()).lines().toList();
            assertTrue(runner.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, runner.exitValue(), String.join("\n", lines));
            outputs.add(lines);
        }
        String webrtc = String.join("\n", outputs.get(0));
        String relay = String.join("\n", outputs.get(1));
        assertTrue(webrtc.contains("|webrtc") && relay.contains("|relay"), webrtc + "\n" + relay);
        for (String out : List.of(webrtc, relay)) {
            assertTrue(out.contains("BOT-DONE|ok") && out.contains("players=2"), "both in one game:\n" + out);
        }
    }

    @Test
    void aClientWhoseWebRtcFailsPlaysTheSameLobbyThroughTheRelay() throws Exception {
        // --break-webrtc: the bot ignores the server's answer and candidates, as if UDP were blocked
        List<String> lines = runTabs(play("lobby=*&hosting=server&seconds=2&peers=1&break-webrtc&fallback-after=2"), 1);
        String out = String.join("\n", lines);
        String joined = lines.stream().filter(l -> l.contains("BOT-JOINED|")).findFirst().orElseThrow().split("\\|")[1];
        String fellBackTo = lines.stream().filter(l -> l.contains("BOT-FALLBACK|relay|")).findFirst()
                .orElseThrow(() -> new AssertionError("no fallback:\n" + out)).split("\\|")[2];
        assertEquals(joined, fellBackTo, "the same lobby, over the relay");
        assertTrue(out.contains("BOT-CHANNELS-OPEN|1|") && out.contains("|relay"), out);
        assertTrue(out.contains("BOT-DONE|ok"), "played after falling back:\n" + out);
    }

    @Test
    void godotClientsFormAPeerHostedMeshThroughTheServersSignaling() throws Exception {
        int liveBefore = server.server.rtc().stats().liveConnections();
        int tabs = 3;
        List<String> lines = runTabs(play("lobby=*&hosting=peer&mesh&seconds=2&peers=2"), tabs);
        List<String> results = lines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
        assertEquals(tabs, results.size(), String.join("\n", lines));
        for (String result : results) {
            assertTrue(result.contains("peers=2|hellos=2"), "each engine reached both others directly: " + result);
        }
        assertTrue(lines.stream().filter(l -> l.contains("BOT-JOINED|")).anyMatch(l -> l.endsWith("|1")),
                "one of them is the lobby's host, peer 1");
        assertEquals(liveBefore, server.server.rtc().stats().liveConnections(), "the server only signalled");
    }
}

package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.RedisProcess;
import io.meshgate.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real engine (the Godot 4.6 web runtime in headless Chromium) on three Meshgate nodes sharing a real
 * redis-server: three bots, each connected to a different node, form one peer-hosted mesh lobby and greet each other
 * over WebRTC, their signaling forwarded between the nodes; and three bots on three nodes play one server-hosted
 * arena game that node A runs, with WebRTC straight to node A.
 */
@Tag("netns")
class GodotClusterTest {

    private static RedisProcess redis;
    private static final List<TestServer> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path play = GodotRuntime.playDir();
        redis = RedisProcess.start();
        for (String id : List.of("node-a", "node-b", "node-c")) {
            nodes.add(new TestServer("--cluster-redis", redis.url(), "--node-id", id, "--play-dir", play.toString(),
                    "--no-lobby-timeout", "30000", "--cluster-heartbeat", "500", "--cluster-expiry", "2000",
                    "--rtc-reveal-cidrs", "10.213.0.0/24"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        nodes.forEach(TestServer::close);
        redis.close();
    }

    /** The bot page, served by node A, speaking to {@code node}'s signaling. */
    private static String bot(TestServer node, String query) {
        return "http://127.0.0.1:" + nodes.get(0).port() + "/play/?bot&url=ws://127.0.0.1:" + node.port() + "/&"
                + query;
    }

    private static GodotRuntime.Running tab(String page) throws Exception {
        List<String> command = List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(),
                "--page", page, "--marker", "BOT-DONE", "--timeout", "100000", "--tabs", "1");
        return new GodotRuntime.Running(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static List<String> finished(GodotRuntime.Running running) throws Exception {
        int status = running.waitFor(120);
        List<String> lines = running.lines();
        assertEquals(0, status, "the tab printed BOT-DONE:\n" + String.join("\n", lines));
        return lines;
    }

    /**
     * A bot on node A creates a lobby ({@code create} and {@code query}); once it has joined, a bot on node B and one on
     * node C join it by name ({@code query}). Returns the three bots' lines and the lobby's name, all three done.
     */
    private static Played playOnThreeNodes(String create, String query) throws Exception {
        try (GodotRuntime.Running first = tab(bot(nodes.get(0), create + "&" + query))) {
            String joined = first.await("BOT-JOINED|", 60);
            String lobby = joined.substring(joined.indexOf("BOT-JOINED|")).split("\\|")[1];
            try (GodotRuntime.Running second = tab(bot(nodes.get(1), "lobby=" + lobby + "&" + query));
                 GodotRuntime.Running third = tab(bot(nodes.get(2), "lobby=" + lobby + "&" + query))) {
                return new Played(lobby, List.of(finished(first), finished(second), finished(third)));
            }
        }
    }

    private record Played(String lobby, List<List<String>> bots) {
    }

    private static String result(List<String> lines) {
        return lines.stream().filter(l -> l.contains("BOT-RESULT|")).findFirst()
                .orElseThrow(() -> new AssertionError("no result:\n" + String.join("\n", lines)));
    }

    @Test
    void threeEnginesOnThreeNodesFormOneMeshAndGreetEachOther() throws Exception {
        Played played = playOnThreeNodes("create", "hosting=peer&mesh&seconds=2&peers=2&timeout=90");
        for (List<String> lines : played.bots()) {
            assertTrue(result(lines).contains("peers=2|hellos=2|rpcs=2"),
                    "each engine reached both others directly:\n" + String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("BOT-JOINED|" + played.lobby() + "|")),
                    "all in the one lobby:\n" + String.join("\n", lines));
        }
    }

    @Test
    void threeEnginesOnThreeNodesPlayOneArenaGameThatOneNodeRuns() throws Exception {
        // peers=3: each bot plays its seconds once the server and both other bots are there
        Played played = playOnThreeNodes("create&game=arena", "hosting=server&seconds=5&peers=3&timeout=90");
        for (List<String> lines : played.bots()) {
            assertTrue(result(lines).contains("players=3"), "all three in node A's game:\n"
                    + String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("BOT-DONE|ok")), String.join("\n", lines));
        }
        assertTrue(nodes.get(0).server.rtc().stats().generationsStarted() > 0, "node A ran the game's WebRTC");
        assertEquals(0, nodes.get(1).server.rtc().stats().generationsStarted(), "node B only forwarded signaling");
        assertEquals(0, nodes.get(2).server.rtc().stats().generationsStarted(), "node C only forwarded signaling");
    }
}

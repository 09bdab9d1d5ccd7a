package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two Godot 4 engines (the web runtime in Chromium) in a peer-hosted lobby, on a network where UDP between them is
 * dropped: they connect only through a real TURN server (coturn) with the credentials Meshgate minted for each, and
 * without TURN the same setup fails.
 *
 * <p>The engines run in a network namespace of their own inside the test's one, joined to it by a veth pair: the
 * players' side, 10.214.0.2, whose nftables drop every UDP packet not addressed to the TURN server; Meshgate and
 * coturn listen on the other side, 10.214.0.1.
 */
@Tag("netns")
class GodotTurnTest {

    private static final String SERVER_SIDE = "10.214.0.1";
    private static final String SECRET = "a-shared-secret-for-the-test-only";
    /** The UDP ports coturn relays from. */
    private static final String RELAY_PORTS = "50000-50200";

    /** Holds the players' namespace open: {@code unshare} runs it in a new one. */
    private static Process players;
    private static Process coturn;
    private static final List<String> coturnLog = new ArrayList<>();
    private static int turnPort;
    private static Path play;

    @BeforeAll
    static void start() throws Exception {
        players = new ProcessBuilder("unshare", "--net", "sleep", "3600").start();
        String pid = Long.toString(players.pid());
        run("ip", "link", "add", "mgturn0", "type", "veth", "peer", "name", "mgturn1");
        run("ip", "link", "set", "mgturn1", "netns", pid);
        run("ip", "addr", "add", SERVER_SIDE + "/24", "dev", "mgturn0");
        run("ip", "link", "set", "mgturn0", "up");
        inPlayers("ip", "link", "set", "lo", "up");
        inPlayers("ip", "addr", "add", "10.214.0.2/24", "dev", "mgturn1");
        inPlayers("ip", "link", "set", "mgturn1", "up");
        try (DatagramSocket probe = new DatagramSocket(0)) {
            turnPort = probe.getLocalPort();
        }
        coturn = new ProcessBuilder("turnserver", "-n", "--listening-ip", SERVER_SIDE, "--relay-ip", SERVER_SIDE,
                "--listening-port", Integer.toString(turnPort), "--min-port", RELAY_PORTS.split("-")[0], "--max-port", RELAY_PORTS.split("-")[1],
                "--use-auth-secret", "--static-auth-secret", SECRET, "--realm", "meshgate.test", "--no-tls",
                "--no-dtls", "--no-cli", "--fingerprint", "--log-file", "stdout", "--simple-log")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (var in = coturn.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (coturnLog) {
                        coturnLog.add(line);
                    }
                }
            } catch (IOException ignored) {
                // coturn ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        play = GodotRuntime.playDir();
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.destroy();
            coturn.waitFor(5, TimeUnit.SECONDS);
        }
        if (players != null) {
            players.destroy(); // its namespace, and the veth pair with it, go when the last process in it ends
            players.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The players' firewall: UDP leaves their namespace only for these ports of the server side (an nftables set,
     * such as {@code "3478, 50000-50200"}); everything else over UDP, among themselves included, is dropped.
     */
    private static void playersSendUdpOnlyTo(String ports) throws Exception {
        String rules = """
                table inet players {
                  chain out {
                    type filter hook output priority 0; policy accept;
                  }
                }
                flush chain inet players out
                add rule inet players out ip daddr %s udp dport { %s } accept
                add rule inet players out meta l4proto udp drop
                """.formatted(SERVER_SIDE, ports);
        run(rules, List.of("nsenter", "--net=/proc/" + players.pid() + "/ns/net", "nft", "-f", "-"));
    }

    private static String coturnLog() {
        synchronized (coturnLog) {
            return String.join("\n", coturnLog);
        }
    }

    private static void run(String... command) throws Exception {
        run(null, List.of(command));
    }

    private static void inPlayers(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=/proc/" + players.pid() + "/ns/net"));
        all.addAll(List.of(command));
        run(null, all);
    }

    private static void run(String input, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "ran in time: " + command);
        assertEquals(0, process.exitValue(), command + ": " + output);
    }

    /** Two bots in one peer-hosted mesh lobby, run in the players' namespace until both print BOT-DONE. */
    private static List<String> twoBots(TestServer server, int timeoutSeconds) throws Exception {
        return bots(server, "lobby=*&hosting=peer&mesh&seconds=2&peers=1", 2, timeoutSeconds);
    }

    /** {@code tabs} bots with the demo's bot {@code arguments}, run in the players' namespace until each is done. */
    private static List<String> bots(TestServer server, String arguments, int tabs, int timeoutSeconds)
            throws Exception {
        String page = "http://" + SERVER_SIDE + ":" + server.port() + "/play/?bot&url=ws://" + SERVER_SIDE + ":"
                + server.port() + "/&" + arguments + "&timeout=" + timeoutSeconds;
        List<String> command = List.of("nsenter", "--net=/proc/" + players.pid() + "/ns/net", "node",
                Path.of("..", "tools", "browser", "godot_run.mjs").toString(), "--page", page, "--marker", "BOT-DONE",
                "--timeout", Integer.toString((timeoutSeconds + 30) * 1000), "--tabs", Integer.toString(tabs),
                "--rtc-report");
        try (GodotRuntime.Running running = new GodotRuntime.Running(new ProcessBuilder(command)
                .redirectErrorStream(true).start())) {
            running.waitFor(timeoutSeconds + 40);
            return running.lines();
        }
    }

    private static TestServer server(String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--host", SERVER_SIDE, "--play-dir", play.toString(),
                "--default-hosting", "peer"));
        all.addAll(List.of(flags));
        return new TestServer(all.toArray(String[]::new));
    }

    @Test
    void playersWhoseUdpReachesOnlyTheTurnServerConnectThroughIt() throws Exception {
        playersSendUdpOnlyTo(turnPort + ", " + RELAY_PORTS);
        try (TestServer server = server("--ice-servers", "turn:" + SERVER_SIDE + ":" + turnPort + "?transport=udp",
                "--turn-secret", SECRET)) {
            List<String> lines = twoBots(server, 60);
            String all = String.join("\n", lines);
            List<String> results = lines.stream().filter(l -> l.contains("BOT-RESULT|")).toList();
            assertEquals(2, results.size(), all);
            for (String result : results) {
                assertTrue(result.contains("peers=1|hellos=1"), "each engine reached the other: " + all);
            }
            List<String> pairs = lines.stream().filter(l -> l.contains("RTC-PAIR|")).toList();
            assertTrue(pairs.size() >= 2, "each side reported its selected pair: " + all + "\ncoturn:\n" + coturnLog());
            for (String pair : pairs) {
                // A relay candidate exists only once coturn accepted the credentials Meshgate minted.
                assertTrue(pair.contains("=relay"), "through TURN: " + pair + "\ncoturn:\n" + coturnLog());
            }
            pairs.forEach(pair -> System.out.println("E2E TURN selected pair: " + pair.substring(pair.indexOf("RTC-"))));
        }
    }

    @Test
    void withoutTurnTheSamePlayersCannotConnect() throws Exception {
        playersSendUdpOnlyTo(turnPort + ", " + RELAY_PORTS);
        try (TestServer server = server()) {
            List<String> lines = twoBots(server, 15);
            String all = String.join("\n", lines);
            assertEquals(2, lines.stream().filter(l -> l.contains("BOT-JOINED|")).count(), "both joined: " + all);
            assertTrue(lines.stream().noneMatch(l -> l.contains("RTC-PAIR|")), "no WebRTC connection opened: " + all);
            assertTrue(lines.stream().noneMatch(l -> l.contains("BOT-DONE|ok")), all);
        }
    }

    @Test
    void theServerHostingAGameReachesAPlayerThroughTurnToo() throws Exception {
        // The player cannot reach the TURN server's port, only its relay ports: the one way in is a relay candidate
        // of the server's own connection, which it made with the credentials it minted for itself.
        playersSendUdpOnlyTo(RELAY_PORTS);
        try (TestServer server = server("--ice-servers", "turn:" + SERVER_SIDE + ":" + turnPort + "?transport=udp",
                "--turn-secret", SECRET, "--rtc-reveal-cidrs", SERVER_SIDE + "/32")) {
            List<String> lines = bots(server, "lobby=*&hosting=server&game=arena&seconds=3&peers=1", 1, 60);
            String all = String.join("\n", lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("BOT-RESULT|game=arena")), all);
            assertTrue(lines.stream().anyMatch(l -> l.contains("BOT-DONE|ok")), all);
            String pair = lines.stream().filter(l -> l.contains("RTC-PAIR|")).findFirst()
                    .orElseThrow(() -> new AssertionError("no connection reported: " + all));
            assertTrue(pair.contains("remote=relay"), "the server's relay candidate: " + pair + "\ncoturn:\n"
                    + coturnLog());
            System.out.println("E2E TURN selected pair, server-hosted: " + pair.substring(pair.indexOf("RTC-")));
        }
    }
}

package io.meshgate.host;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Godot 4 WebRTC client played by aiortc in its own process ({@code src/test/python/rtc_client.py}), driven by JSON
 * lines. Events accumulate; waits search them with a bound.
 */
final class RtcClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("src/test/python/rtc_client.py");
    private static final Path BROWSER_SCRIPT = Path.of("../tools/browser/rtc_client.mjs");

    /** Which implementation plays the Godot client. */
    enum Kind {
        /** python3-aiortc. */
        AIORTC,
        /** Headless Chromium's own WebRTC, through playwright-core. */
        CHROMIUM
    }

    private final Process process;
    private final OutputStream commands;
    private final List<JsonNode> events = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();

    private RtcClient(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        Thread out = new Thread(() -> read(process.getInputStream(), true), "rtc-client-out");
        Thread err = new Thread(() -> read(process.getErrorStream(), false), "rtc-client-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** Starts an aiortc client that sends JOIN with {@code joinId} and {@code lobby} ("" creates one). */
    static RtcClient start(int port, String lobby, int joinId, String... extra) throws IOException {
        return start(Kind.AIORTC, port, lobby, joinId, extra);
    }

    /** Starts an aiortc client speaking Godot 3's signaling on {@code /godot3?hosting=server}: the server offers. */
    static RtcClient startGodot3(int port, String lobby) throws IOException {
        return start(Kind.AIORTC, port, lobby, 0, "--godot3", "--url",
                "ws://127.0.0.1:" + port + "/godot3?hosting=server");
    }

    static RtcClient start(Kind kind, int port, String lobby, int joinId, String... extra) throws IOException {
        Path script = kind == Kind.AIORTC ? SCRIPT : BROWSER_SCRIPT;
        if (!Files.exists(script)) {
            throw new IllegalStateException("run from the server module: " + script.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(kind == Kind.AIORTC ? List.of("/usr/bin/python3") : List.of("node"));
        command.addAll(List.of(script.toString(), "--url", "ws://127.0.0.1:" + port + "/", "--lobby", lobby,
                "--join-id", Integer.toString(joinId)));
        command.addAll(List.of(extra));
        return new RtcClient(new ProcessBuilder(command).start());
    }

    private void read(java.io.InputStream stream, boolean json) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (this) {
                    if (json && line.startsWith("{")) {
                        events.add(JSON.readTree(line));
                    } else {
                        stderr.add(line);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The first event matching, waiting for it if need be. */
    synchronized JsonNode await(String what, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (JsonNode event : events) {
                if (match.test(event)) {
                    return event;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + what + " within " + WAIT + "; events: " + tail() + "; stderr: " + stderr);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until {@code count} events match, and returns them. */
    synchronized List<JsonNode> awaitCount(String what, int count, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonNode> found = events.stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("only " + found.size() + " of " + count + " " + what + " within " + WAIT + "; events: " + tail()
                        + "; stderr: " + stderr);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized List<JsonNode> events(Predicate<JsonNode> match) {
        return events.stream().filter(match).toList();
    }

    private String tail() {
        int from = Math.max(0, events.size() - 8);
        return events.subList(from, events.size()).toString();
    }

    static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }

    /** Its id in the lobby, once assigned. */
    int id() throws InterruptedException {
        return await("id", event("id")).get("id").asInt();
    }

    String lobby() throws InterruptedException {
        return await("joined", event("joined")).get("lobby").asText();
    }

    void awaitOpen(int peer) throws InterruptedException {
        await("channels open to " + peer, e -> event("open").test(e) && e.get("peer").asInt() == peer);
    }

    /** Packets from {@code peer} as Godot's SceneMultiplayer packets. */
    static ScenePacket scene(JsonNode packetEvent) {
        try {
            return ScenePacket.decode(HexFormat.of().parseHex(packetEvent.get("hex").asText()));
        } catch (Exception e) {
            throw new AssertionError("not a SceneMultiplayer packet: " + packetEvent, e);
        }
    }

    /** The Variant inside a RAW packet event, or null if it is not a RAW packet. */
    static Object variant(JsonNode packetEvent) {
        ScenePacket packet = scene(packetEvent);
        if (packet.kind() != ScenePacket.Kind.RAW) {
            return null;
        }
        try {
            return VariantCodec.GODOT4.decode(packet.payload());
        } catch (Exception e) {
            throw new AssertionError("RAW payload is not a Godot 4 Variant: " + packetEvent, e);
        }
    }

    void send(int peer, String channel, byte[] packet) throws IOException {
        ObjectNode command = JSON.createObjectNode().put("cmd", "send").put("peer", peer).put("channel", channel)
                .put("hex", HexFormat.of().formatHex(packet));
        command(command.toString());
    }

    private synchronized void command(String line) throws IOException {
        commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    /** Vanishes without closing anything, as a crashing client. */
    void drop() throws Exception {
        command("{\"cmd\":\"drop\"}");
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try {
                command("{\"cmd\":\"close\"}");
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** SIGTERM on the real process: every client is closed with 1001 and the process exits 0 in bounded time. */
class ShutdownTest {

    private static final Pattern LISTENING = Pattern.compile("Meshgate listening on [^:]+:(\\d+)");

    /** Records how the server closed it. */
    public static final class Closing implements Session.Listener.AutoDemanding {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        volatile Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketClose(int code, String reason, Callback callback) {
            closed.complete(code + " " + reason);
            callback.succeed();
        }
    }

    /**
     * A stopping server closes connections one by one, and a host closed first ends its lobby: its members must still
     * hear that the server is going away, not that their host left.
     */
    @Test
    void everyClientOfAStoppingServerIsToldItIsShuttingDown() throws Exception {
        TestServer server = new TestServer("--shutdown-timeout", "5000");
        try {
            List<SignalingClient> clients = new ArrayList<>();
            for (int lobby = 0; lobby < 40; lobby++) {
                SignalingClient host = server.connect();
                String name = host.create(true);
                clients.add(host);
                for (int member = 0; member < 4; member++) {
                    SignalingClient joiner = server.connect();
                    joiner.send(SignalMessage.JOIN, 0, name);
                    joiner.awaitJoin();
                    clients.add(joiner);
                }
            }
            server.server.stop();
            List<String> reasons = new ArrayList<>();
            for (SignalingClient client : clients) {
                reasons.add(client.awaitClose().toString());
            }
            assertEquals(List.of("1001 \"Server shutting down\""), reasons.stream().distinct().toList(),
                    "what the 200 clients were told");
        } finally {
            server.close();
        }
    }

    @Test
    void sigtermClosesClientsWith1001AndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
                "--no-lobby-timeout", "60000",
                "--shutdown-timeout", "3000", "--drain-timeout", "0");
        builder.environment().put("MESHGATE_LOG_LEVEL", "INFO");
        builder.environment().put("MESHGATE_TEST_LOG_LEVEL", "INFO"); // the test classpath brings logback-test.xml
        builder.redirectErrorStream(true);
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        });
        reader.start();
        WebSocketClient client = new WebSocketClient();
        client.start();
        try {
            int bound = port.get(20, TimeUnit.SECONDS);
            URI uri = URI.create("ws://127.0.0.1:" + bound + "/");
            List<Closing> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Closing closing = new Closing();
                client.connect(closing, uri).get(10, TimeUnit.SECONDS);
                clients.add(closing);
            }
            clients.get(0).session.sendText("{\"type\":0,\"id\":0,\"data\":\"\"}", Callback.NOOP);

            long start = System.nanoTime();
            // SIGTERM; unlike Process.destroy(), the handle leaves the child's output pipe open for us to read
            process.toHandle().destroy();
            for (Closing closing : clients) {
                assertEquals("1001 Server shutting down", closing.closed.get(10, TimeUnit.SECONDS));
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("did not exit within 10 s of SIGTERM");
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, process.exitValue(), () -> String.join("\n", output));
            assertTrue(elapsedMs < 5_000, "exits well within the shutdown timeout when clients close: " + elapsedMs);
        } finally {
            client.stop();
            if (process.isAlive()) {
                process.destroyForcibly(); // closes the pipe too, so only when the test already failed
            }
            reader.join(5_000);
        }
        synchronized (output) {
            assertTrue(output.stream().anyMatch(l -> l.contains("SIGTERM received")), String.join("\n", output));
            assertTrue(output.stream().anyMatch(l -> l.contains("Stopped")), String.join("\n", output));
        }
    }
}

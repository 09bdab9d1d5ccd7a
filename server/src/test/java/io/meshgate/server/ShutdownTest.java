package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.ServerProcess;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** SIGTERM on the real process: every client is closed with 1001 and the process exits 0 in bounded time. */
class ShutdownTest {

    /** Records how the server closed it. */
    public static final class Closing implements Session.Listener.AutoDemanding {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<String> firstText = new CompletableFuture<>();
        volatile Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String text) {
            firstText.complete(text);
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
        // the test class path brings logback-test.xml, hence both levels
        try (ServerProcess process = new ServerProcess(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
                "--no-lobby-timeout", "60000", "--shutdown-timeout", "3000", "--drain-timeout", "0"),
                Map.of("MESHGATE_LOG_LEVEL", "INFO", "MESHGATE_TEST_LOG_LEVEL", "INFO"))) {
            WebSocketClient client = new WebSocketClient();
            client.start();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + process.port() + "/");
                List<Closing> clients = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Closing closing = new Closing();
                    client.connect(closing, uri).get(10, TimeUnit.SECONDS);
                    clients.add(closing);
                }
                clients.get(0).session.sendText("{\"type\":0,\"id\":0,\"data\":\"\"}", Callback.NOOP);
                // In a lobby before the SIGTERM: a JOIN still on its way when the drain begins is refused instead
                clients.get(0).firstText.get(10, TimeUnit.SECONDS);

                long start = System.nanoTime();
                process.sigterm();
                for (Closing closing : clients) {
                    assertEquals("1001 Server shutting down", closing.closed.get(10, TimeUnit.SECONDS));
                }
                process.expectCleanExit(10);
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs < 5_000, "exits well within the shutdown timeout when clients close: "
                        + elapsedMs);
            } finally {
                client.stop();
            }
        }
    }
}

package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.RawWebSocket;
import io.meshgate.testkit.ServerProcess;
import io.meshgate.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stopping server closes every client with 1001, and SIGTERM on the real process exits 0 in bounded time. The
 * clients are raw sockets that read the close frame the server sent: a client library may report a transport error
 * instead when the server ends the TCP connection right after its close frame.
 */
class ShutdownTest {

    /**
     * The close frame the server sent, answered as a client would. The server may have ended the TCP connection right
     * after its close frame (Jetty does when it stops), so a failed answer is no failure.
     */
    private static String closeOf(RawWebSocket socket) throws IOException {
        RawWebSocket.Frame close = socket.readUntilClose();
        try {
            socket.writeFrame(RawWebSocket.CLOSE, close.payload());
        } catch (IOException gone) {
            // the connection is over either way
        }
        return close.closeCode() + " " + close.closeReason();
    }

    private static String join(int id, String lobby) {
        return "{\"type\":0,\"id\":" + id + ",\"data\":\"" + lobby + "\"}";
    }

    /**
     * A stopping server closes connections one by one, and a host closed first ends its lobby: its members must still
     * hear that the server is going away, not that their host left.
     */
    @Test
    void everyClientOfAStoppingServerIsToldItIsShuttingDown() throws Exception {
        TestServer server = new TestServer("--shutdown-timeout", "5000");
        List<RawWebSocket> clients = new ArrayList<>();
        try {
            for (int lobby = 0; lobby < 40; lobby++) {
                RawWebSocket host = new RawWebSocket(server.port(), "/");
                clients.add(host);
                host.writeText(join(0, "")); // a peer-hosted mesh, this client its host
                String name = host.readGodot4Join();
                for (int member = 0; member < 4; member++) {
                    RawWebSocket joiner = new RawWebSocket(server.port(), "/");
                    clients.add(joiner);
                    joiner.writeText(join(0, name));
                    joiner.readGodot4Join();
                }
            }
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server.server::stop);
            List<String> reasons = new ArrayList<>();
            for (RawWebSocket client : clients) {
                reasons.add(closeOf(client));
            }
            assertEquals(List.of("1001 Server shutting down"), reasons.stream().distinct().toList(),
                    "what the 200 clients were told");
            stopping.get(10, TimeUnit.SECONDS);
        } finally {
            for (RawWebSocket client : clients) {
                client.close();
            }
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
            List<RawWebSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new RawWebSocket(process.port(), "/"));
                }
                // In a lobby before the SIGTERM: a JOIN still on its way when the drain begins is refused instead
                clients.get(0).writeText(join(0, ""));
                clients.get(0).readGodot4Join();

                long start = System.nanoTime();
                process.sigterm();
                for (RawWebSocket client : clients) {
                    assertEquals("1001 Server shutting down", closeOf(client));
                }
                process.expectCleanExit(10);
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs < 5_000, "exits well within the shutdown timeout when clients close: "
                        + elapsedMs);
            } finally {
                for (RawWebSocket client : clients) {
                    client.close();
                }
            }
        }
    }
}

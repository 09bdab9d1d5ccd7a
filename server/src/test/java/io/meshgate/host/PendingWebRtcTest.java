package io.meshgate.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/**
 * Server-side WebRTC connections that joins open and never finish: bounded per address and in total, and each cheap
 * in file descriptors (no TCP candidates, one shared UDP socket per interface). Godot 3's server-hosted lobbies make
 * the server offer at once, so a one-line join is enough to make it set one up; no WebRTC client is needed.
 */
class PendingWebRtcTest {

    private static long openFiles() throws Exception {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }

    /** TCP sockets this process listens on (Jetty's among them), read off /proc: state 0A is LISTEN. */
    private static long listeningTcpSockets() throws Exception {
        java.util.Set<String> ours = new java.util.HashSet<>();
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : files.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // an fd that closed while listed
                }
            }
        }
        long listening = 0;
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && ours.contains(fields[9])) {
                    listening++;
                }
            }
        }
        return listening;
    }

    /** Joins a new server-hosted Godot 3 lobby; the server's offer is its first message after the join. */
    private static SignalingClient join(WebSocketClient from, TestServer server) throws Exception {
        SignalingClient client = SignalingClient.connect(from, server.uri("/godot3?hosting=server"));
        client.sendRaw("J: \n");
        return client;
    }

    private static void expectOffer(SignalingClient client) throws Exception {
        String frame;
        do {
            frame = client.nextRaw();
        } while (!frame.startsWith("O: 1\n"));
    }

    @Test
    void joinsThatNeverConnectAreBoundedPerAddressAndInTotal() throws Exception {
        try (TestServer server = new TestServer("--rtc-max-pending-per-address", "2", "--rtc-max-pending", "3",
                "--rtc-connect-timeout", "60000", "--no-lobby-timeout", "60000")) {
            WebSocketClient second = TestServer.clientFrom("127.0.0.2");
            WebSocketClient third = TestServer.clientFrom("127.0.0.3");
            try {
                SignalingClient first = join(server.jetty, server); // the native library loads here
                expectOffer(first);
                Eventually.await("its candidates gathered, every socket open", () ->
                        server.server.rtc().stats().gatheringsCompleted() == 1);
                long before = openFiles();
                long listeningBefore = listeningTcpSockets();
                SignalingClient alsoFirst = join(server.jetty, server);
                expectOffer(alsoFirst);
                Eventually.await("the second's candidates gathered", () ->
                        server.server.rtc().stats().gatheringsCompleted() == 2);
                assertEquals(listeningBefore, listeningTcpSockets(), "a pending client opens no listening TCP socket");
                long perConnection = openFiles() - before;
                // the WebSocket's two ends (both in this process) and the peer connection's UDP sockets
                assertTrue(perConnection <= 8, perConnection + " file descriptors for one pending client");

                SignalingClient oneTooMany = join(server.jetty, server);
                assertEquals(new CloseStatus(4000, HostPeer.SETUP_BUSY), oneTooMany.awaitClose(), "per address");
                SignalingClient elsewhere = join(second, server);
                expectOffer(elsewhere);
                SignalingClient overTotal = join(third, server);
                assertEquals(new CloseStatus(4000, HostPeer.SETUP_BUSY), overTotal.awaitClose(), "in total");

                first.close(); // a pending client that leaves gives its place back
                Eventually.await("the server let go of the first client", () ->
                        server.server.rtc().stats().liveConnections() == 2);
                SignalingClient again = join(server.jetty, server);
                expectOffer(again);
            } finally {
                second.stop();
                third.stop();
            }
        }
    }
}

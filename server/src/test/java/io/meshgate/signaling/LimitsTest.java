package io.meshgate.signaling;

import static io.meshgate.wire.godot4.SignalMessage.CANDIDATE;
import static io.meshgate.wire.godot4.SignalMessage.ID;
import static io.meshgate.wire.godot4.SignalMessage.JOIN;
import static io.meshgate.wire.godot4.SignalMessage.OFFER;
import static io.meshgate.wire.godot4.SignalMessage.PEER_CONNECT;
import static io.meshgate.wire.godot4.SignalMessage.PEER_DISCONNECT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RawWebSocket;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** Every limit and timeout, each on a server configured small enough to reach it quickly. */
class LimitsTest {

    @Test
    void connectionsBeyondMaxPeersAreClosed() throws Exception {
        try (TestServer server = new TestServer("--max-peers", "3", "--no-lobby-timeout", "10000")) {
            List<SignalingClient> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                admitted.add(server.connect());
            }
            // A client sees its socket open when the 101 arrives, which can be before the server registers it:
            // without this wait, the fourth could be registered before the third, and the third refused.
            Eventually.await(() -> server.server.lobbies().peerCount() == 3, SignalingClient.WAIT,
                    () -> "three peers registered, not " + server.server.lobbies().peerCount());
            SignalingClient fourth = server.connect();
            fourth.expectClose(4000, "Too many peers connected");

            admitted.get(0).close();
            Eventually.await(() -> server.server.lobbies().peerCount() == 2, SignalingClient.WAIT,
                    () -> "peer count back to 2, is " + server.server.lobbies().peerCount());
            SignalingClient replacement = server.connect();
            replacement.create(true); // a freed place is usable again
        }
    }

    private static SignalingClient connect(WebSocketClient client, TestServer server, String forwardedFor)
            throws Exception {
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(server.uri("/"));
        if (forwardedFor != null) {
            upgrade.setHeader("X-Forwarded-For", forwardedFor);
        }
        SignalingClient peer = new SignalingClient();
        client.connect(peer, upgrade).get(10, TimeUnit.SECONDS);
        return peer;
    }

    @Test
    void oneAddressCannotTakeEveryConnection() throws Exception {
        try (TestServer server = new TestServer("--max-peers-per-address", "3", "--no-lobby-timeout", "10000")) {
            WebSocketClient other = TestServer.clientFrom("127.0.0.2");
            try {
                List<SignalingClient> mine = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    mine.add(server.connect());
                }
                // the client's connect completes on the 101, which can come before the server opened its side
                Eventually.await("the server opened all three", () -> server.server.connections().count() == 3);
                server.connect().expectClose(4000, "Too many connections from your address");
                SignalingClient elsewhere = connect(other, server, null);
                elsewhere.create(true); // another address is served as usual
                mine.get(0).close();
                Eventually.await("the closed connection's place is free", () ->
                        server.server.connections().count() == 3);
                server.connect().create(true);
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void oneAddressCannotTakeEveryLobby() throws Exception {
        try (TestServer server = new TestServer("--max-lobbies-per-address", "2", "--max-lobbies", "10")) {
            WebSocketClient other = TestServer.clientFrom("127.0.0.3");
            try {
                SignalingClient first = server.connect();
                first.create(true);
                server.connect().create(false);
                SignalingClient third = server.connect();
                third.send(JOIN, 0, "");
                third.expectClose(4000, "Too many lobbies from your address");
                connect(other, server, null).create(true);
                first.close();
                Eventually.await("the closed lobby is given back to its address", () ->
                        server.server.lobbies().lobbyCount() == 2);
                server.connect().create(true);
                assertEquals(3, server.server.lobbies().lobbyCount());
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        try (TestServer proxied = new TestServer("--max-peers-per-address", "1", "--no-lobby-timeout", "10000",
                "--trusted-proxies", "127.0.0.1/32");
             TestServer direct = new TestServer("--max-peers-per-address", "1", "--no-lobby-timeout", "10000")) {
            // behind the trusted proxy (127.0.0.1), each client is the address the proxy names
            connect(proxied.jetty, proxied, "198.51.100.1").create(true);
            connect(proxied.jetty, proxied, "198.51.100.2").create(true);
            connect(proxied.jetty, proxied, "203.0.113.9, 198.51.100.1")
                    .expectClose(4000, "Too many connections from your address");
            // a name is never looked up: the walk stops before it, at the proxy itself, which then counts
            connect(proxied.jetty, proxied, "not-an-address").create(true);
            connect(proxied.jetty, proxied, "also.not.an.address")
                    .expectClose(4000, "Too many connections from your address");
            // from anyone else the header is ignored: it cannot choose its own address
            connect(direct.jetty, direct, "198.51.100.1").create(true);
            connect(direct.jetty, direct, "198.51.100.2").expectClose(4000, "Too many connections from your address");
        }
    }

    /**
     * One sender and members that never read: whatever each member's own bound (4 MiB here), the server holds at
     * most its budget (1 MiB) for all of them together, counted in real bytes (a frame of multi-byte characters counts
     * its UTF-8 bytes), dropping the worst first, while another lobby goes on.
     */
    @Test
    void membersThatNeverReadCannotTakeTheServersMemory() throws Exception {
        long budget = 1 << 20;
        try (TestServer server = new TestServer("--max-send-queue-bytes", String.valueOf(4 << 20),
                "--max-send-queue-total-bytes", String.valueOf(budget), "--message-rate", "1000000",
                "--message-burst", "1000000", "--ping-interval", "600000", "--pong-timeout", "600000")) {
            SignalingClient healthyHost = server.connect();
            String healthy = healthyHost.create(true);
            SignalingClient healthyPeer = server.connect();
            healthyPeer.send(JOIN, 0, healthy);
            healthyPeer.awaitJoin();
            int healthyPeerId = healthyHost.next().id();

            SignalingClient host = server.connect();
            String lobby = host.create(true);
            List<RawWebSocket> silent = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    RawWebSocket member = new RawWebSocket(server.port(), "/", 4096);
                    silent.add(member);
                    member.writeText(SignalCodec.encode(JOIN, 0, lobby));
                    ids.add(SignalCodec.decode(member.readFrame().text()).id());
                    assertEquals(PEER_CONNECT, host.next().type());
                }
                // from here the members read nothing more; 20,000 characters of three UTF-8 bytes each per frame
                String chunk = "\u20ac".repeat(20_000);
                long most = 0;
                for (int round = 0; round < 300 && host.pending() < 8; round++) {
                    for (int id : ids) {
                        host.send(CANDIDATE, id, chunk);
                    }
                    most = Math.max(most, server.server.connections().queuedBytes());
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals(PEER_DISCONNECT, host.next().type(), "every silent member was dropped");
                }
                long frame = chunk.length() * 3L + 128;
                assertTrue(most <= budget + 2 * frame, "held at most the budget: " + most);
                Eventually.await("what they held is released", () -> server.server.connections().queuedBytes() < frame);
                assertTrue(host.isOpen(), "the sender is not punished for the readers");
                healthyHost.send(OFFER, healthyPeerId, "still relaying");
                healthyPeer.expect(OFFER, 1, "still relaying");
            } finally {
                for (RawWebSocket member : silent) {
                    member.close();
                }
            }
        }
    }

    @Test
    void lobbiesBeyondMaxLobbiesAreRefused() throws Exception {
        try (TestServer server = new TestServer("--max-lobbies", "2")) {
            server.connect().create(true);
            SignalingClient second = server.connect();
            second.create(false);
            SignalingClient third = server.connect();
            third.send(JOIN, 0, "");
            third.expectClose(4000, "Too many lobbies open, disconnecting");
            assertEquals(2, server.server.lobbies().lobbyCount());

            second.close();
            Eventually.await(() -> server.server.lobbies().lobbyCount() == 1, SignalingClient.WAIT,
                    () -> "lobby count back to 1");
            server.connect().create(true);
        }
    }

    @Test
    void joiningAFullLobbyIsRefused() throws Exception {
        try (TestServer server = new TestServer("--max-lobby-peers", "2")) {
            SignalingClient host = server.connect();
            String lobby = host.create(true);
            SignalingClient second = server.connect();
            second.send(JOIN, 0, lobby);
            assertEquals(ID, second.next().type());
            SignalingClient third = server.connect();
            third.send(JOIN, 0, lobby);
            third.expectClose(4000, "Lobby is full");
        }
    }

    @Test
    void oversizedMessagesCloseWith1009AndAreNotBuffered() throws Exception {
        try (TestServer server = new TestServer("--max-message-bytes", "1024")) {
            SignalingClient host = server.connect();
            String lobby = host.create(true);
            SignalingClient peer = server.connect();
            peer.send(JOIN, 0, lobby);
            int peerId = peer.next().id();
            host.expect(PEER_CONNECT, peerId, "");
            String fits = "x".repeat(900);
            host.send(CANDIDATE, peerId, fits);
            peer.expect(PEER_CONNECT, 1, "");
            peer.expect(JOIN, 0, lobby);
            peer.expect(CANDIDATE, 1, fits);

            host.send(CANDIDATE, peerId, "x".repeat(2000));
            assertEquals(1009, host.awaitClose().code());

            // A header promising 1 MiB is refused with the first payload bytes: the server never waits for the rest.
            try (RawWebSocket raw = new RawWebSocket(server.port(), "/")) {
                raw.writeHeader(RawWebSocket.TEXT, 1 << 20);
                raw.writeRaw("{\"type\":".getBytes(StandardCharsets.UTF_8));
                RawWebSocket.Frame close = raw.readUntilClose();
                assertEquals(1009, close.closeCode(), close.closeReason());
            }
        }
    }

    @Test
    void floodingClientIsClosedAndItsLobbyGoesOn() throws Exception {
        try (TestServer server = new TestServer("--message-rate", "20", "--message-burst", "40")) {
            SignalingClient host = server.connect();
            String lobby = host.create(true);
            SignalingClient flooder = server.connect();
            flooder.send(JOIN, 0, lobby);
            int flooderId = flooder.next().id();
            host.expect(PEER_CONNECT, flooderId, "");
            SignalingClient calm = server.connect();
            calm.send(JOIN, 0, lobby);
            int calmId = calm.next().id();
            host.expect(PEER_CONNECT, calmId, "");

            for (int i = 0; i < 30; i++) {
                calm.send(CANDIDATE, 1, "calm " + i); // within the burst: all delivered
            }
            for (int i = 0; i < 30; i++) {
                host.expect(CANDIDATE, calmId, "calm " + i);
            }
            for (int i = 0; i < 500; i++) {
                flooder.send(CANDIDATE, 1, "flood");
            }
            flooder.expectClose(4000, "Message rate exceeded");
            int flooded = 0;
            SignalMessage message;
            while ((message = host.next()).type() == CANDIDATE) {
                flooded++;
            }
            assertEquals(new SignalMessage(PEER_DISCONNECT, flooderId, ""), message);
            assertTrue(flooded < 60, "no more than the burst and what refilled meanwhile got through: " + flooded);
            calm.send(CANDIDATE, 1, "after");
            host.expect(CANDIDATE, calmId, "after");
        }
    }

    /** Pings cost the server a pong each: they count against the message rate like any frame. */
    @Test
    void pingsAreAnsweredAndCountAgainstTheRate() throws Exception {
        try (TestServer server = new TestServer("--message-rate", "20", "--message-burst", "40",
                "--no-lobby-timeout", "10000");
             RawWebSocket pinger = new RawWebSocket(server.port(), "/")) {
            pinger.writeFrame(RawWebSocket.PING, new byte[] {1, 2, 3});
            RawWebSocket.Frame pong = pinger.readFrame();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertArrayEquals(new byte[] {1, 2, 3}, pong.payload(), "a pong with the ping's payload");
            for (int i = 0; i < 200; i++) {
                pinger.writeFrame(RawWebSocket.PING, new byte[] {9});
            }
            RawWebSocket.Frame close = pinger.readUntilClose();
            assertEquals(4000, ((close.payload()[0] & 0xFF) << 8) | (close.payload()[1] & 0xFF));
            assertEquals("Message rate exceeded", new String(close.payload(), 2, close.payload().length - 2,
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * A request that trickles in a byte at a time (each byte would restart Jetty's idle timeout) is closed once it has
     * taken the request timeout, while a client that upgrades at once is served.
     */
    @Test
    void anUpgradeThatTricklesInIsClosed() throws Exception {
        try (TestServer server = new TestServer("--request-timeout", "1000");
             java.net.Socket trickler = new java.net.Socket("127.0.0.1", server.port())) {
            trickler.setSoTimeout(200);
            java.io.OutputStream out = trickler.getOutputStream();
            byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < request.length && !closed; i++) {
                try {
                    out.write(request[i]);
                    out.flush();
                    closed = trickler.getInputStream().read() < 0; // waits up to 200 ms: the trickle's pace
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing from the server yet: go on trickling
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closed, "still open after the whole trickle, " + tookMs + " ms");
            assertTrue(tookMs < 5_000, "closed within a few request timeouts: " + tookMs + " ms");
            server.connect().create(true); // a client that upgrades at once is served
        }
    }

    @Test
    void clientThatNeverJoinsIsClosedAfterTheNoLobbyTimeout() throws Exception {
        try (TestServer server = new TestServer("--no-lobby-timeout", "200")) {
            SignalingClient joined = server.connect();
            joined.create(true);
            long start = System.nanoTime();
            SignalingClient idle = server.connect();
            idle.expectClose(4000, "Have not joined lobby yet");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 200, "not before the timeout: " + elapsedMs);
            assertTrue(joined.isOpen(), "a peer that joined is not affected");
        }
    }

    @Test
    void silentPeerIsClosedByKeepaliveWhileAnsweringPeerStays() throws Exception {
        try (TestServer server = new TestServer("--ping-interval", "100", "--pong-timeout", "200",
                "--no-lobby-timeout", "60000")) {
            SignalingClient answering = server.connect(); // Jetty's client answers pings by itself
            try (RawWebSocket silent = new RawWebSocket(server.port(), "/")) {
                boolean pinged = false;
                RawWebSocket.Frame frame;
                while ((frame = silent.readFrame()).opcode() != RawWebSocket.CLOSE) {
                    pinged |= frame.opcode() == RawWebSocket.PING;
                }
                assertTrue(pinged, "the server pings");
                assertEquals(new CloseStatus(4000, "Ping timeout"), new CloseStatus(frame.closeCode(), frame.closeReason()));
            }
            assertTrue(answering.isOpen(), "a peer that answers pings stays connected");
            answering.create(true);
        }
    }

    @Test
    void readerTooSlowIsCutOffInsteadOfGrowingTheServersMemory() throws Exception {
        try (TestServer server = new TestServer("--max-send-queue-bytes", "65536", "--message-rate", "100000",
                "--message-burst", "100000", "--pong-timeout", "300", "--ping-interval", "60000")) {
            SignalingClient host = server.connect();
            String lobby = host.create(true);
            try (RawWebSocket slow = new RawWebSocket(server.port(), "/")) {
                slow.writeText(SignalCodec.encode(JOIN, 0, lobby));
                int slowId = SignalCodec.decode(slow.readFrame().text()).id();
                host.expect(PEER_CONNECT, slowId, "");
                // slow now stops reading; the host keeps sending to it
                String chunk = "c".repeat(60_000);
                for (int i = 0; i < 800 && host.pending() == 0; i++) {
                    host.send(CANDIDATE, slowId, chunk);
                }
                host.expect(PEER_DISCONNECT, slowId, "");
                assertTrue(host.isOpen(), "the sender is not punished for the reader's slowness: " + (host.isOpen() ? "" : host.awaitClose()));
            }
        }
    }
}

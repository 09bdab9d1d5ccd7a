package io.meshgate.server;

import static io.meshgate.wire.godot4.SignalMessage.JOIN;
import static io.meshgate.wire.godot4.SignalMessage.OFFER;
import static io.meshgate.wire.godot4.SignalMessage.PEER_CONNECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A draining server refuses new lobbies and joins, lets open ones play on, and stops when they end or time runs out. */
class DrainTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> request(int port, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openLobbiesPlayOnAndTheServerStopsWhenTheyEnd() throws Exception {
        try (TestServer server = new TestServer("--drain-timeout", "60000", "--admin-token", "t0ken")) {
            SignalingClient host = server.connect();
            String lobby = host.create(true);
            SignalingClient peer = server.connect();
            peer.send(JOIN, 0, lobby);
            peer.awaitJoin();
            int peerId = host.next().id();
            assertEquals(200, request(server.port(), "GET", "/health", null).statusCode());

            assertEquals(401, request(server.server.adminPort(), "POST", "/drain", null).statusCode());
            HttpResponse<String> drain = request(server.server.adminPort(), "POST", "/drain", "t0ken");
            assertEquals(202, drain.statusCode());
            assertTrue(server.server.draining());
            HttpResponse<String> health = request(server.port(), "GET", "/health", null);
            assertEquals(503, health.statusCode(), "a load balancer sends new players elsewhere");
            assertEquals("DRAINING\n", health.body());

            SignalingClient late = server.connect();
            late.send(JOIN, 0, "");
            late.expectClose(4000, "Server is draining, join another");
            SignalingClient joiner = server.connect();
            joiner.send(JOIN, 0, lobby);
            joiner.expectClose(4000, "Server is draining, join another");

            host.send(OFFER, peerId, "still playing");
            peer.expect(OFFER, 1, "still playing");
            assertFalse(server.server.stopped().isDone());

            host.close(); // the last lobby ends: the server stops by itself
            server.server.stopped().get(10, TimeUnit.SECONDS);
            assertEquals(new CloseStatus(4000, "Room host has disconnected"), peer.awaitClose());
        }
    }

    @Test
    void whatIsStillOpenAtTheDrainTimeoutIsToldTheServerIsShuttingDown() throws Exception {
        try (TestServer server = new TestServer("--drain-timeout", "300")) {
            SignalingClient host = server.connect();
            host.create(true);
            server.server.drain();
            assertEquals(new CloseStatus(1001, "Server shutting down"), host.awaitClose());
            server.server.stopped().get(10, TimeUnit.SECONDS);
        }
    }
}

package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.junit.jupiter.api.Test;

/**
 * What the shared core promises every dialect alike: the rate limit, the peer limit, graceful shutdown and the
 * metrics, checked on each signaling path in turn over real sockets.
 */
class SharedGuaranteesTest {

    /** Each dialect's first frame, and a frame it answers without closing, so only the rate limit can close it. */
    private static final Map<String, List<String>> HARMLESS = new LinkedHashMap<>();

    static {
        HARMLESS.put("/", List.of("{\"type\":0,\"id\":0,\"data\":\"\"}", "{\"type\":7,\"id\":0,\"data\":\"\"}"));
        HARMLESS.put("/godot3", List.of("J: \n", "S: \n"));
        HARMLESS.put("/gst", List.of("HELLO rate-test", "FLY"));
        HARMLESS.put("/rooms", List.of("{\"command\":\"###!RP\",\"data\":\"rate\"}", "{\"command\":\"###!XY\"}"));
    }

    /** The extensions the server accepted for a client that offers permessage-deflate on {@code path}. */
    private static List<String> negotiated(TestServer server, String path) throws Exception {
        ClientUpgradeRequest offer = new ClientUpgradeRequest(server.uri(path));
        offer.addExtensions("permessage-deflate");
        SignalingClient client = new SignalingClient();
        Session session = server.jetty.connect(client, offer).get(10, TimeUnit.SECONDS);
        try {
            return session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
        } finally {
            client.close();
        }
    }

    @Test
    void compressionIsDeclinedOnEveryPathUnlessAskedFor() throws Exception {
        try (TestServer plain = new TestServer(); TestServer deflating = new TestServer("--websocket-compression", "on")) {
            for (String path : List.of("/", "/godot3", "/gst", "/rooms", "/relay/*", "/relay/godot3/*")) {
                assertEquals(List.of(), negotiated(plain, path), path + ": 126 KB of native memory per connection");
            }
            assertEquals(List.of("permessage-deflate"), negotiated(deflating, "/"), "offered and configured");
        }
    }

    @Test
    void theRateLimitClosesEveryDialectAlike() throws Exception {
        try (TestServer server = new TestServer("--message-rate", "5", "--message-burst", "10")) {
            for (Map.Entry<String, List<String>> dialect : HARMLESS.entrySet()) {
                SignalingClient flooder = server.connect(dialect.getKey());
                flooder.sendRaw(dialect.getValue().get(0));
                for (int i = 0; i < 50 && flooder.isOpen(); i++) {
                    flooder.sendRaw(dialect.getValue().get(1));
                }
                assertEquals(new CloseStatus(4000, "Message rate exceeded"), flooder.awaitClose(),
                        dialect.getKey());
            }
        }
    }

    @Test
    void thePeerLimitCountsEveryPath() throws Exception {
        try (TestServer server = new TestServer("--max-peers", "2", "--no-lobby-timeout", "30000",
                "--rooms-register-timeout", "30000")) {
            server.connect("/gst");
            server.connect("/rooms");
            // A client sees its socket open on the 101, possibly before the server registers it: wait for both.
            Eventually.await(() -> server.server.lobbies().peerCount() == 2, SignalingClient.WAIT,
                    () -> "two peers registered, not " + server.server.lobbies().peerCount());
            Map<String, String> refusal = Map.of("/", "Too many peers connected", "/godot3", "Too many peers connected",
                    "/gst", "Too many peers connected", "/rooms", "Too Many Peers");
            for (String path : HARMLESS.keySet()) {
                server.connect(path).expectClose(4000, refusal.get(path));
            }
        }
    }

    @Test
    void shutdownClosesEveryPathWith1001AndStatsCountEach() throws Exception {
        TestServer server = new TestServer("--no-lobby-timeout", "30000", "--rooms-register-timeout", "30000");
        try {
            Map<String, SignalingClient> clients = new LinkedHashMap<>();
            for (String path : HARMLESS.keySet()) {
                clients.put(path, server.connect(path));
            }
            // one lobby each in the dialects whose first frame opens one
            clients.get("/").sendRaw(HARMLESS.get("/").get(0));
            clients.get("/godot3").sendRaw(HARMLESS.get("/godot3").get(0));
            clients.get("/").nextRaw();
            clients.get("/godot3").nextRaw();
            // the server counts a connection once it has opened it, which can follow the client's 101
            Eventually.await(() -> server.server.connections().count() == HARMLESS.size(), SignalingClient.WAIT,
                    () -> "every path's connection opened, not " + server.server.connections().countByEndpoint());

            HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.server.adminPort() + "/stats")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode figures = new ObjectMapper().readTree(stats.body());
            for (String path : HARMLESS.keySet()) {
                assertEquals(1, figures.get("connectionsByEndpoint").get(path).asInt(), path + " in " + stats.body());
            }
            assertEquals(1, figures.get("lobbiesByDialect").get("godot4").asInt(), stats.body());
            assertEquals(1, figures.get("lobbiesByDialect").get("godot3").asInt(), stats.body());

            server.server.stop();
            for (Map.Entry<String, SignalingClient> client : clients.entrySet()) {
                assertEquals(new CloseStatus(1001, "Server shutting down"), client.getValue().awaitClose(),
                        client.getKey());
            }
            assertTrue(server.server.connections().countByEndpoint().values().stream().allMatch(n -> n == 0));
        } finally {
            server.close();
        }
    }
}

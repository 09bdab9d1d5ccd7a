package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin listener: its own port on loopback, /stats only there, and actions only with the token. */
class AdminListenerTest {

    private static final String TOKEN = "s3cret-admin-token";
    private static TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--admin-token", TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statsAnswerOnTheAdminPortOnly() throws Exception {
        int admin = server.server.adminPort();
        assertTrue(admin > 0 && admin != server.port(), "a listener of its own");
        HttpResponse<String> stats = get(admin, "/stats", null);
        assertEquals(200, stats.statusCode());
        assertTrue(stats.body().contains("\"connections\":") && stats.body().contains("\"heldSeats\":0")
                && stats.body().contains("\"standInConnections\":0"), stats.body());
        assertEquals(404, get(server.port(), "/stats", null).statusCode(), "players cannot read it");
        assertEquals(200, get(admin, "/health", null).statusCode());
        assertEquals(200, get(server.port(), "/health", null).statusCode());
    }

    @Test
    void metricsAreInPrometheusTextFormatWithBoundedLabels() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient lost = server.connect();
        lost.send(io.meshgate.wire.godot4.SignalMessage.JOIN, 0, "NoSuchLobby");
        lost.awaitClose();
        RelayClient player = RelayClient.connect(server.jetty, server.port(), "*"); // a game that ticks
        player.readId();
        Eventually.await("the game ticked", () -> scrape().contains("meshgate_game_tick_seconds_count{game="));
        HttpResponse<String> metrics = get(server.server.adminPort(), "/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String text = metrics.body();
        for (String expected : List.of("meshgate_connections{endpoint=\"/\"}",
                "meshgate_lobbies{dialect=\"godot4\",hosting=\"peer\"} 1",
                "meshgate_refusals_total{reason=\"lobby_not_found\"} 1",
                "meshgate_closes_total{code=\"4000\"}", "meshgate_messages_received_total",
                "meshgate_joins_total{dialect=\"godot4\"} ", "meshgate_received_bytes_total ",
                "meshgate_messages_sent_total ", "meshgate_sent_bytes_total ", "meshgate_matchmaker_tickets ",
                "meshgate_matchmaker_matches_total ", "meshgate_matchmaker_cycle_seconds",
                "meshgate_send_queue_bytes", "meshgate_webrtc_connections", "meshgate_held_seats 0",
                "meshgate_stand_in_connections 0",
                "meshgate_game_tick_seconds_bucket{game=\"arena\",le=\"0.001\"}",
                "jvm_memory_used_bytes", "process_cpu_seconds_total")) {
            assertTrue(text.contains(expected), expected + " in\n" + text);
        }
        assertTrue(!text.contains(lobby), "never a lobby name as a label");
        assertEquals(404, get(server.port(), "/metrics", null).statusCode(), "not on the players' port");
        host.close();
        player.close();
    }

    private String scrape() {
        try {
            return get(server.server.adminPort(), "/metrics", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theAdminPortTakesNoPlayers() throws Exception {
        Exception refused = assertThrows(Exception.class, () -> SignalingClient.connect(server.jetty,
                URI.create("ws://127.0.0.1:" + server.server.adminPort() + "/")));
        // "/" there is the admin page: the upgrade is answered as a plain request, never with 101
        assertTrue(String.valueOf(refused.getMessage()).contains("Failed to upgrade to websocket")
                && !String.valueOf(refused.getMessage()).contains("101"), String.valueOf(refused));
    }

    @Test
    void actionsNeedTheToken() throws Exception {
        int admin = server.server.adminPort();
        assertEquals(401, get(admin, "/stats?reset=1", null).statusCode());
        assertEquals(401, get(admin, "/stats?gc=1", "Bearer wrong").statusCode());
        assertEquals(401, get(admin, "/stats?gc=1", TOKEN).statusCode(), "the Bearer scheme, not the bare token");
        HttpResponse<String> allowed = get(admin, "/stats?reset=1", "Bearer " + TOKEN);
        assertEquals(200, allowed.statusCode());
        assertTrue(allowed.body().contains("\"tick\":"), allowed.body());
    }

    @Test
    void withoutAConfiguredTokenEveryActionIsRefused() throws Exception {
        try (TestServer open = new TestServer()) {
            assertEquals(403, get(open.server.adminPort(), "/stats?gc=1", "Bearer ").statusCode());
            assertEquals(200, get(open.server.adminPort(), "/stats", null).statusCode(), "reading needs no action");
        }
    }

    @Test
    void theTokenNeverShowsInTheConfiguration() {
        String printed = Config.of("--admin-token", TOKEN).toString();
        assertTrue(!printed.contains(TOKEN) && printed.contains("adminToken=set"), printed);
        assertEquals("127.0.0.1", Config.of().adminHost(), "loopback unless configured");
    }
}

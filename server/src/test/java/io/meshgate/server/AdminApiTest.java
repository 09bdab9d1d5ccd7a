package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin page's JSON: the lobbies it lists, the journal, and the lobby actions, which need the token. */
class AdminApiTest {

    private static final String TOKEN = "api-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--admin-token", TOKEN, "--seal-timeout", "60000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.server.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The listed lobby of this name, or null. */
    private JsonNode listed(String name) throws Exception {
        HttpResponse<String> lobbies = call("GET", "/lobbies", null);
        assertEquals(200, lobbies.statusCode(), lobbies.body());
        for (JsonNode lobby : JSON.readTree(lobbies.body()).get("lobbies")) {
            if (lobby.get("name").asText().equals(name)) {
                return lobby;
            }
        }
        return null;
    }

    /** A mesh lobby of {@code host} and {@code guest}, once the listing shows both. */
    private JsonNode meshOfTwo(SignalingClient host, SignalingClient guest) throws Exception {
        String name = host.create(true);
        guest.send(SignalMessage.JOIN, 0, name);
        guest.awaitJoin();
        return Eventually.value("the lobby listed with two members", () -> {
            JsonNode found = listed(name);
            return found != null && found.get("members").size() == 2 ? found : null;
        });
    }

    @Test
    void listsLobbiesWithTheirMembersAndTraffic() throws Exception {
        SignalingClient host = server.connect();
        SignalingClient guest = server.connect();
        JsonNode lobby = meshOfTwo(host, guest);
        assertEquals("godot4", lobby.get("dialect").asText());
        assertEquals("peer", lobby.get("hosting").asText());
        assertTrue(lobby.get("mesh").asBoolean());
        assertFalse(lobby.get("sealed").asBoolean());
        JsonNode first = lobby.get("members").get(0);
        assertEquals(1, first.get("id").asInt(), "the creator hosts as 1");
        assertEquals("p2p", first.get("transport").asText());
        assertEquals("127.0.0.1", first.get("address").asText());
        assertTrue(first.get("traffic").get("messagesIn").asLong() >= 1, first.toString());
        assertTrue(first.get("traffic").get("bytesOut").asLong() > 0, "ID and JOIN went out: " + first);
        host.close();
        guest.close();
    }

    @Test
    void closingALobbyNeedsTheTokenAndTellsItsMembersWhy() throws Exception {
        SignalingClient host = server.connect();
        String name = host.create(false);
        long number = Eventually.value("the lobby listed", () -> listed(name)).get("number").asLong();
        String close = "/lobbies/" + number + "/close";

        assertEquals(401, call("POST", close, null).statusCode(), "no token");
        assertEquals(401, call("POST", close, "wrong").statusCode(), "a wrong token");
        assertEquals(405, call("GET", close, TOKEN).statusCode(), "actions are POSTs");
        assertTrue(host.isOpen() && listed(name) != null, "a refused action does nothing");

        HttpResponse<String> done = call("POST", close, TOKEN);
        assertEquals(200, done.statusCode(), done.body());
        assertEquals(CloseStatus.of(io.meshgate.lobby.Reason.CLOSED_BY_OPERATOR), host.awaitClose());
        assertEquals(new CloseStatus(4000, "Lobby closed by the server's operator"), host.awaitClose(),
                "the text docs/protocol.md gives");
        assertEquals(404, call("POST", close, TOKEN).statusCode(), "closed already");
        assertEquals(404, call("POST", "/lobbies/99999999999/close", TOKEN).statusCode());
        assertEquals(404, call("POST", "/lobbies/99999999999999999999/close", TOKEN).statusCode(), "too large");

        String journal = call("GET", "/journal", null).body();
        assertTrue(journal.contains("\"kind\":\"admin\"") && journal.contains("close lobby #" + number), journal);
        assertTrue(journal.contains("closed by the operator"), journal);
    }

    @Test
    void kickingAMemberEndsItAndTellsTheOthers() throws Exception {
        SignalingClient host = server.connect();
        SignalingClient guest = server.connect();
        JsonNode lobby = meshOfTwo(host, guest);
        int guestId = lobby.get("members").get(1).get("id").asInt();
        String kick = "/lobbies/" + lobby.get("number").asLong() + "/members/" + guestId + "/kick";
        assertEquals(401, call("POST", kick, null).statusCode());
        assertEquals(404, call("POST", "/lobbies/" + lobby.get("number").asLong() + "/members/12345/kick", TOKEN)
                .statusCode(), "no such member");

        assertEquals(200, call("POST", kick, TOKEN).statusCode());
        assertEquals(new CloseStatus(4000, "Removed from the lobby by the server's operator"), guest.awaitClose());
        SignalMessage told = host.next();
        while (told.type() == SignalMessage.PEER_CONNECT) {
            told = host.next();
        }
        assertEquals(new SignalMessage(SignalMessage.PEER_DISCONNECT, guestId, ""), told);
        assertTrue(host.isOpen(), "the others play on");
        host.close();
    }

    @Test
    void sealingFromThePageSealsAsTheOwnerWould() throws Exception {
        SignalingClient host = server.connect();
        String name = host.create(true);
        long number = Eventually.value("the lobby listed", () -> listed(name)).get("number").asLong();
        assertEquals(200, call("POST", "/lobbies/" + number + "/seal", TOKEN).statusCode());
        assertEquals(new SignalMessage(SignalMessage.SEAL, 0, ""), host.next());
        assertTrue(listed(name).get("sealed").asBoolean());
        SignalingClient late = server.connect();
        late.send(SignalMessage.JOIN, 0, name);
        assertEquals(new CloseStatus(4000, "Lobby is sealed"), late.awaitClose());
        host.close();
    }

    @Test
    void aServerHostedLobbyShowsItsGameAndTransportsAndKeepsItsHost() throws Exception {
        RelayClient player = RelayClient.connect(server.jetty, server.port(), "*");
        player.readId();
        JsonNode lobby = Eventually.value("the relay player's lobby listed", () -> {
            HttpResponse<String> lobbies = call("GET", "/lobbies", null);
            for (JsonNode found : JSON.readTree(lobbies.body()).get("lobbies")) {
                if (found.get("hosting").asText().equals("server") && found.get("members").size() == 2) {
                    return found;
                }
            }
            return null;
        });
        assertEquals("arena", lobby.get("game").asText());
        assertEquals("server", lobby.get("members").get(0).get("transport").asText());
        assertTrue(lobby.get("members").get(0).get("traffic").isNull(), "the server's peer has no socket");
        assertEquals("relay", lobby.get("members").get(1).get("transport").asText());
        long number = lobby.get("number").asLong();
        assertEquals(409, call("POST", "/lobbies/" + number + "/members/1/kick", TOKEN).statusCode(),
                "the server's own peer leaves only with its lobby");
        assertEquals(200, call("POST", "/lobbies/" + number + "/close", TOKEN).statusCode());
        assertEquals(new CloseStatus(4000, "Lobby closed by the server's operator"), player.awaitClose());
    }

    @Test
    void thePageIsServedWithAPolicyThatRunsOnlyItsOwnScript() throws Exception {
        HttpResponse<String> page = call("GET", "/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("admin.js"), page.body());
        String policy = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"), policy);
        assertEquals(200, call("GET", "/admin.js", null).statusCode());
        assertEquals(200, call("GET", "/admin.css", null).statusCode());
        HttpRequest players = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/lobbies"))
                .timeout(Duration.ofSeconds(10)).build();
        assertEquals(404, http.send(players, HttpResponse.BodyHandlers.ofString()).statusCode(),
                "nothing of it on the players' port");
    }

    @Test
    void aPageAddressingTheListenerByAnotherNameReadsNothing() throws Exception {
        // what a page served from rebind.example sends once its name resolves to 127.0.0.1 (DNS rebinding)
        assertEquals(421, rawStatus("/lobbies", "rebind.example:" + server.server.adminPort()));
        assertEquals(421, rawStatus("/journal", "rebind.example"));
        assertEquals(421, rawStatus("/", "rebind.example"));
        assertEquals(200, rawStatus("/lobbies", "127.0.0.1:" + server.server.adminPort()));
        assertEquals(200, rawStatus("/lobbies", "localhost"));
        assertEquals(200, rawStatus("/lobbies", "[::1]:" + server.server.adminPort()));
        assertEquals(200, rawStatus("/health", "monitor.internal"), "probes use any name");
        assertEquals(200, rawStatus("/metrics", "prometheus-target.internal"));
    }

    /** The status of a GET with this Host header, over a plain socket (HttpClient will not set Host). */
    private static int rawStatus(String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.server.adminPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}

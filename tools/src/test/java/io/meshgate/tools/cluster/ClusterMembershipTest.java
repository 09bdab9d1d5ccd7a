package io.meshgate.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.meshgate.lobby.Reason;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.RawWebSocket;
import io.meshgate.testkit.RedisProcess;
import io.meshgate.testkit.ServerProcess;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes: a redis-server of the test's own and Meshgate nodes started from the shipped jar. The directory
 * of nodes: each node sees the others, one killed with SIGKILL leaves it within the expiry (its lobbies too), one
 * stopped with SIGTERM leaves at once, and a node outlives Redis going away and registers again when it is back.
 */
class ClusterMembershipTest {

    private static final Path JAR = Path.of("..", "server", "target", "meshgate-server.jar");
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private WebSocketClient jetty() throws Exception {
        WebSocketClient jetty = new WebSocketClient();
        jetty.start();
        started.add(jetty::stop);
        return jetty;
    }

    /** The test's own look at the directory in Redis. */
    private RedisCommands<String, String> directory(RedisProcess redis) {
        RedisClient client = RedisClient.create(redis.url());
        started.add(client::shutdown);
        StatefulRedisConnection<String, String> connection = client.connect();
        return connection.sync();
    }

    /** Waits until Redis holds {@code expected} (null: nothing) under {@code key}: a node writes on its own thread. */
    private static void awaitEntry(RedisCommands<String, String> directory, String key, String expected,
                                   long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!java.util.Objects.equals(expected, directory.get(key)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, directory.get(key), key);
    }

    /** Waits until the JSON under {@code key} has {@code part} in it (the node renews it every heartbeat). */
    private static void awaitEntryWith(RedisCommands<String, String> directory, String key, String part,
                                   long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!String.valueOf(directory.get(key)).contains(part) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(String.valueOf(directory.get(key)).contains(part), key + ": " + directory.get(key));
    }

    private RedisProcess redis() throws Exception {
        RedisProcess redis = RedisProcess.start();
        started.add(redis);
        return redis;
    }

    private ServerProcess node(RedisProcess redis, String id, int heartbeatMs, int expiryMs, String... flags)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx128m", "-jar", JAR.toString(),
                "--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--drain-timeout", "0",
                "--node-id", id, "--cluster-heartbeat", Integer.toString(heartbeatMs),
                "--cluster-expiry", Integer.toString(expiryMs)));
        command.addAll(List.of(flags));
        ServerProcess node = new ServerProcess(command, Map.of("MESHGATE_CLUSTER_REDIS", redis.url()));
        started.add(node);
        node.port();
        return node;
    }

    /** Whether a LIST on {@code node} (by a connection of its own: LIST has a rate per connection) shows the lobby. */
    private static boolean listed(WebSocketClient jetty, ServerProcess node, String lobby) throws Exception {
        SignalingClient browser = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + node.port() + "/"));
        try {
            browser.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\",\"limit\":50}");
            return browser.nextRaw().contains("\"name\":\"" + lobby + "\"");
        } finally {
            browser.close();
        }
    }

    private static void awaitListed(WebSocketClient jetty, ServerProcess node, String lobby, boolean shown,
                                    long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (listed(jetty, node, lobby) != shown && System.nanoTime() < deadline) {
            Thread.sleep(50); // another process's state: asked again, as /health is
        }
        assertEquals(shown, listed(jetty, node, lobby), lobby + " in the lobby browser of node " + node.port());
    }

    /** The cluster line of the node's /health: "cluster <id> redis reachable|unreachable nodes <n>". */
    private String cluster(ServerProcess node) throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        String[] lines = health.body().split("\n");
        assertEquals("OK", lines[0], "the first line is what load balancers read");
        return lines.length > 1 ? lines[1] : "";
    }

    /** Waits until the node's cluster line matches, and returns how long that took. */
    private long await(ServerProcess node, Predicate<String> condition, long timeoutMs, String what)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = cluster(node);
            if (condition.test(last)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50); // polling another process's HTTP endpoint: there is nothing to wait on here
        }
        throw new AssertionError(what + " within " + timeoutMs + " ms; last: " + last);
    }

    @Test
    void nodesSeeEachOtherAndAKilledOneLeavesTheDirectoryWithinTheExpiry() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 1000);
        ServerProcess b = node(redis, "node-b", 200, 1000);
        ServerProcess c = node(redis, "node-c", 200, 1000);
        for (ServerProcess node : List.of(a, b, c)) {
            await(node, line -> line.endsWith("redis reachable nodes 3"), 10_000, "every node sees all three");
        }
        assertTrue(cluster(a).startsWith("cluster node-a "), cluster(a));
        // a public lobby on C is in the directory under C, and in A's lobby browser
        WebSocketClient jetty = jetty();
        SignalingClient creator = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + c.port() + "/"));
        creator.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"public\":true}");
        String lobby = creator.awaitJoin();
        RedisCommands<String, String> directory = directory(redis);
        awaitEntry(directory, "meshgate:lobby:" + lobby, "node-c", 5_000);
        awaitListed(jetty, a, lobby, true, 5_000);

        c.kill();
        long killedAt = System.nanoTime();
        // the bound: its entry expires 1000 ms after its last heartbeat, and A reads the directory every 200 ms
        long gone = await(a, line -> line.endsWith("nodes 2"), 5_000, "A sees C gone");
        await(b, line -> line.endsWith("nodes 2"), 2_000, "B sees C gone");
        assertTrue(gone <= 1000 + 200 + 500, "C left the directory " + gone + " ms after it died");
        awaitEntry(directory, "meshgate:lobby:" + lobby, null, 5_000);
        assertTrue((System.nanoTime() - killedAt) / 1_000_000 <= 1000 + 500, "C's lobby went with it, within the "
                + "expiry");
        awaitListed(jetty, a, lobby, false, 1_000);
        assertTrue((System.nanoTime() - killedAt) / 1_000_000 <= 1000 + 200 + 500, "and from A's lobby browser");
    }

    /**
     * Separate processes, so that each node's CPU is its own: A holds 8 players in one lobby, B 3 players in three
     * lobbies; out of 10 each, A is the busier although it has fewer lobbies, and a quick-play player of A that finds
     * no free seat gets a new lobby on B.
     */
    @Test
    void aNewQuickPlayLobbyGoesToTheNodeWithTheLowestLoadByPlayersNotLobbies() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 1000, "--max-peers", "10", "--quick-play-size", "2");
        ServerProcess b = node(redis, "node-b", 200, 1000, "--max-peers", "10", "--quick-play-size", "2");
        await(a, line -> line.endsWith("nodes 2"), 10_000, "A sees B");
        WebSocketClient jetty = jetty();
        URI onA = URI.create("ws://127.0.0.1:" + a.port() + "/");
        URI onB = URI.create("ws://127.0.0.1:" + b.port() + "/");
        String crowded = SignalingClient.connect(jetty, onA).create(true);
        for (int i = 0; i < 7; i++) {
            SignalingClient.connect(jetty, onA).send(SignalMessage.JOIN, 0, crowded);
        }
        for (int i = 0; i < 3; i++) {
            SignalingClient.connect(jetty, onB).create(true);
        }
        RedisCommands<String, String> directory = directory(redis);
        awaitEntryWith(directory, "meshgate:node:node-a", "\"players\":8,", 5_000);
        awaitEntryWith(directory, "meshgate:node:node-b", "\"players\":3,", 5_000);

        SignalingClient player = SignalingClient.connect(jetty, onA);
        player.send(SignalMessage.JOIN, 0, "*");
        player.expect(SignalMessage.ID, 1, "true");
        String lobby = player.awaitJoin();
        awaitEntry(directory, "meshgate:lobby:" + lobby, "node-b", 5_000);
        assertTrue(a.output().contains("plays godot4/mesh/peer on node node-b (the most room for a new lobby)"),
                a.output());

        // and a player of B takes its free seat there
        SignalingClient second = SignalingClient.connect(jetty, onB);
        second.send(SignalMessage.JOIN, 0, "*");
        assertEquals(lobby, second.awaitJoin());
        assertEquals(SignalMessage.PEER_CONNECT, player.next().type());
    }

    /**
     * The matchmaker's node killed: its lease expires, another node takes it, and a ticket that was waiting there
     * (for B's client) goes on at the new matchmaker, unknown to its client, and meets a newcomer's.
     */
    @Test
    void whenTheMatchmakersNodeDiesItsTicketsGoOnAtTheNextAndAreMatchedOnce() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 1000, "--match-settle", "300");
        RedisCommands<String, String> directory = directory(redis);
        awaitEntry(directory, "meshgate:matchmaker", "node-a", 5_000);
        ServerProcess b = node(redis, "node-b", 200, 1000, "--match-settle", "300");
        ServerProcess c = node(redis, "node-c", 200, 1000, "--match-settle", "300");
        WebSocketClient jetty = jetty();
        String ticket = "{\"type\":102,\"id\":%d,\"data\":\"\",\"game\":\"duel\",\"hosting\":\"peer\","
                + "\"min\":2,\"max\":2}";
        SignalingClient waiting = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + b.port() + "/"));
        waiting.sendRaw(String.format(ticket, 4));
        assertTrue(waiting.nextRaw().contains("\"state\":\"waiting\""), "told by A's matchmaker");

        a.kill();
        long deadline = System.nanoTime() + 5_000_000_000L;
        String holder = directory.get("meshgate:matchmaker");
        while ((holder == null || holder.equals("node-a")) && System.nanoTime() < deadline) {
            Thread.sleep(20); // Redis's state, another process's doing: asked again
            holder = directory.get("meshgate:matchmaker");
        }
        assertTrue("node-b".equals(holder) || "node-c".equals(holder), "the lease passed on: " + holder);
        SignalingClient newcomer = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + c.port() + "/"));
        newcomer.sendRaw(String.format(ticket, 1));
        String matched = null;
        for (int i = 0; i < 20 && matched == null; i++) {
            String status = waiting.nextRaw();
            assertFalse(status.contains("\"ended\"") || status.contains("\"refused\""), status);
            matched = status.contains("\"matched\"") ? status : null;
        }
        assertTrue(matched != null && matched.contains("\"id\":4"), "the ticket waiting at A met C's: " + matched);
        String lobby = new com.fasterxml.jackson.databind.ObjectMapper().readTree(matched).get("lobby").asText();
        String other = newcomer.nextRaw();
        while (!other.contains("\"matched\"")) {
            other = newcomer.nextRaw();
        }
        assertTrue(other.contains("\"lobby\":\"" + lobby + "\""), other);
        assertTrue(b.output().contains("the matchmaker runs on node") && c.output().contains("(before: node node-a)"),
                "the lease moved: " + c.output());
        assertEquals(null, waiting.poll(Duration.ofMillis(500)), "one decision per ticket: no second match");
    }

    @Test
    void aNodeStoppedWithSigtermLeavesAtOnceNotAtTheExpiry() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 30_000);
        ServerProcess b = node(redis, "node-b", 200, 30_000);
        await(a, line -> line.endsWith("nodes 2"), 10_000, "A sees B");
        // A lobby open when the stop comes: its creator's connection dropped (no close frame), so its seat is held for
        // the resume window, and the server closes the lobby itself as it stops.
        String lobby;
        try (RawWebSocket creator = new RawWebSocket(b.port(), "/")) {
            creator.writeText(SignalCodec.encode(SignalMessage.JOIN, 0, ""));
            creator.readFrame(); // ID
            lobby = SignalCodec.decode(creator.readFrame().text()).data();
        }
        RedisCommands<String, String> directory = directory(redis);
        awaitEntry(directory, "meshgate:lobby:" + lobby, "node-b", 5_000);

        b.sigterm();
        b.expectCleanExit(30);
        assertTrue(b.output().contains("node node-b left the directory"), b.output());
        assertFalse(b.output().contains("Not every lobby closed"), "its lobbies closed cleanly, the directory "
                + "still open as they did:\n" + b.output());
        assertEquals(null, directory.get("meshgate:lobby:" + lobby), "its lobby left the directory with it");
        long gone = await(a, line -> line.endsWith("nodes 1"), 5_000, "A sees B gone");
        assertTrue(gone < 30_000 / 10, "B left " + gone + " ms after its stop, long before its entry would expire");
    }

    @Test
    void aNodeServesWithoutRedisAndRegistersAgainWhenRedisIsBack() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 1000);
        ServerProcess b = node(redis, "node-b", 200, 1000);
        await(a, line -> line.endsWith("redis reachable nodes 2"), 10_000, "A sees B");

        redis.kill();
        await(a, line -> line.contains("redis unreachable"), 5_000, "A notices Redis is gone");
        // A's own lobbies work as on a single node meanwhile
        WebSocketClient jetty = jetty();
        URI signaling = URI.create("ws://127.0.0.1:" + a.port() + "/");
        SignalingClient creator = SignalingClient.connect(jetty, signaling);
        String lobby = creator.create(true);
        SignalingClient joiner = SignalingClient.connect(jetty, signaling);
        joiner.send(SignalMessage.JOIN, 0, lobby);
        assertEquals(lobby, joiner.awaitJoin());
        assertEquals(SignalMessage.PEER_CONNECT, creator.next().type(), "the creator hears of the joiner");

        redis.restart(); // empty: nothing was saved
        await(a, line -> line.endsWith("redis reachable nodes 2"), 15_000, "both registered again");
        await(b, line -> line.endsWith("redis reachable nodes 2"), 5_000, "B sees both again");
        assertTrue(a.output().contains("Redis unreachable") && a.output().contains("Redis reachable"), a.output());
    }

    @Test
    void whenTheNodeOfALobbyDiesItsMembersAndSessionsElsewhereAreToldAndNewJoinsAreRefused() throws Exception {
        RedisProcess redis = redis();
        ServerProcess a = node(redis, "node-a", 200, 1000);
        ServerProcess b = node(redis, "node-b", 200, 1000);
        WebSocketClient jetty = jetty();
        SignalingClient host = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + a.port() + "/"));
        String lobby = host.create(false);
        awaitEntry(directory(redis), "meshgate:lobby:" + lobby, "node-a", 5_000);
        SignalingClient member = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + b.port() + "/"));
        member.send(SignalMessage.JOIN, 1, lobby);
        try {
            assertEquals(lobby, member.awaitJoin());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nA:\n" + a.output() + "\nB:\n" + b.output(), e);
        }

        // and a GStreamer session of a client of B with one of A
        SignalingClient callee = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + a.port() + "/gst"));
        callee.sendRaw("HELLO gst-a");
        assertEquals("HELLO", callee.nextRaw());
        SignalingClient caller = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + b.port() + "/gst"));
        caller.sendRaw("HELLO gst-b");
        assertEquals("HELLO", caller.nextRaw());
        caller.sendRaw("SESSION gst-a");
        assertEquals("SESSION_OK", caller.nextRaw());

        a.kill();
        long killedAt = System.nanoTime();
        assertEquals(CloseStatus.of(Reason.HOST_DISCONNECTED), member.awaitClose(),
                "told as when the host leaves a lobby on its own node");
        long toldMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(toldMs <= 1000 + 200 + 800, "told " + toldMs + " ms after its lobby's node died");
        caller.expectClose(1000, "session peer left"); // as when the other side leaves
        SignalingClient heir = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + b.port() + "/gst"));
        heir.sendRaw("HELLO gst-a");
        assertEquals("HELLO", heir.nextRaw(), "a dead node's uid is free");

        SignalingClient late = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + b.port() + "/"));
        late.send(SignalMessage.JOIN, 1, lobby);
        assertEquals(CloseStatus.of(Reason.LOBBY_NOT_FOUND), late.awaitClose(), "a lobby no node has");
        assertTrue(cluster(b).endsWith("redis reachable nodes 1"), cluster(b));
    }
}

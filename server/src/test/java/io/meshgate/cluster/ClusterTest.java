package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RedisProcess;
import io.meshgate.wire.cluster.Envelope;
import io.meshgate.wire.cluster.Relay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' {@link Cluster}s in this process against a real redis-server: the lobby directory (names and codes to
 * their node, gone when closed, back after Redis restarts) and envelopes between nodes' inboxes.
 */
class ClusterTest {

    private final List<AutoCloseable> started = new ArrayList<>();
    private final AtomicInteger players = new AtomicInteger();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private RedisProcess redis() throws Exception {
        RedisProcess redis = RedisProcess.start();
        started.add(redis);
        return redis;
    }

    private Cluster node(RedisProcess redis, String id) throws InterruptedException {
        Cluster node = new Cluster(new Cluster.Settings(redis.url(), id, "ws://" + id + ".test:9080",
                Duration.ofMillis(200), Duration.ofMillis(1000)), players::get, 1000);
        started.add(node);
        node.start();
        Eventually.await(id + " registered", () -> node.view().redisReachable() && node.view().nodes().stream()
                .anyMatch(n -> n.id().equals(id)));
        return node;
    }

    private static String ownerNow(Cluster cluster, String lobby) throws Exception {
        return cluster.owner(lobby).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLobbyIsFoundOnItsNodeByNameAndCodeUntilItCloses() throws Exception {
        RedisProcess redis = redis();
        Cluster a = node(redis, "node-a");
        Cluster b = node(redis, "node-b");
        assertNull(ownerNow(b, "Lobby1"));

        a.listed("Lobby1");
        a.coded("K7Q2", "Lobby1");
        assertEquals("node-a", Eventually.value("B finds Lobby1", () -> ownerNow(b, "Lobby1")));
        assertEquals("node-a", Eventually.value("B finds its code",
                () -> b.ownerOfCode("K7Q2").get(5, TimeUnit.SECONDS)));
        assertEquals("ws://node-a.test:9080", b.view().nodes().stream().filter(n -> n.id().equals("node-a"))
                .findFirst().orElseThrow().url());

        a.unlisted("Lobby1", "K7Q2");
        Eventually.await("Lobby1 gone", () -> {
            try {
                return ownerNow(b, "Lobby1") == null && b.ownerOfCode("K7Q2").get(5, TimeUnit.SECONDS) == null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void envelopesReachTheNodeTheyAreFor_inOrder_andANodeNobodyListensAsIsSaidSo() throws Exception {
        RedisProcess redis = redis();
        Cluster a = node(redis, "node-a");
        Cluster b = node(redis, "node-b");
        BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
        b.receive(Relay.class, (from, relay) -> inbox.add(Envelope.of(from, relay)));

        for (int i = 0; i < 200; i++) {
            a.send("node-b", new Relay("Lobby1", "node-a/5", Relay.Kinds.CANDIDATE, i, "\n0\n0\ncandidate:" + i));
        }
        for (int i = 0; i < 200; i++) {
            Envelope envelope = inbox.poll(5, TimeUnit.SECONDS);
            assertEquals("node-a", envelope.from());
            Relay relay = assertInstanceOf(Relay.class, envelope.message());
            assertEquals(i, relay.peer(), "in the order sent");
        }
        assertFalse(a.send("node-gone", new Relay("L", "m", 1, 1, "")).get(5, TimeUnit.SECONDS),
                "nobody listens on a node that is not there");
        assertTrue(a.send("node-b", new Relay("L", "m", 1, 1, "")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void afterRedisRestartsEmptyTheLobbiesAndTheInboxesComeBack() throws Exception {
        RedisProcess redis = redis();
        Cluster a = node(redis, "node-a");
        Cluster b = node(redis, "node-b");
        BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
        b.receive(Relay.class, (from, relay) -> inbox.add(Envelope.of(from, relay)));
        a.listed("Lobby1");
        assertEquals("node-a", Eventually.value("B finds Lobby1", () -> ownerNow(b, "Lobby1")));

        redis.restart();
        Eventually.await("both see Redis again", () -> a.view().redisReachable() && b.view().redisReachable()
                && a.view().nodes().size() == 2);
        assertEquals("node-a", Eventually.value("Lobby1 listed again", () -> {
            try {
                return ownerNow(b, "Lobby1");
            } catch (Exception e) {
                return null; // a reconnect still under way
            }
        }));
        // the inbox subscription was made again by the client: a message gets through (retried until it does)
        Eventually.await("A reaches B's inbox again", () -> {
            try {
                return a.send("node-b", new Relay("Lobby1", "m", 1, 1, "again")).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return false;
            }
        });
        Envelope envelope = inbox.poll(5, TimeUnit.SECONDS);
        assertEquals("again", ((Relay) envelope.message()).payload());
    }

    /**
     * What another node lists comes from Redis, which anyone who reaches it can write: a listing that is not JSON is
     * skipped whole, an entry without a name or a number is skipped alone, and the rest is listed.
     */
    @Test
    void aDamagedListingOfAnotherNodeIsSkippedAndTheRestListed() throws Exception {
        RedisProcess redis = redis();
        Cluster a = node(redis, "node-a");
        a.listWith(() -> List.of(new io.meshgate.lobby.PublicLobby(42L << 10, "GoodLobby", "", java.util.Map.of(),
                "peer", true, 1, 4)));
        Cluster b = node(redis, "node-b");
        assertEquals(List.of("GoodLobby"), Eventually.value("B lists A's lobby", () -> {
            List<String> names = b.listedElsewhere().stream().map(io.meshgate.lobby.PublicLobby::name).toList();
            return names.isEmpty() ? null : names;
        }));

        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.url());
        try {
            var redisCommands = client.connect().sync();
            // a node entry B reads, with a listing that is not JSON, and one whose entries are half damaged
            redisCommands.set("meshgate:node:node-x", "{\"url\":\"\",\"format\":2}");
            redisCommands.set("meshgate:listing:node-x", "[{\"name\":");
            redisCommands.set("meshgate:node:node-y", "{\"url\":\"\",\"format\":2}");
            redisCommands.set("meshgate:listing:node-y", "[{\"number\":\"many\",\"name\":\"NoNumber\"},"
                    + "{\"number\":7},{\"number\":9,\"name\":\"FineLobby\",\"players\":2,\"capacity\":4}]");
            Eventually.await("B read the damaged listings and kept the sound ones", () ->
                    b.listedElsewhere().stream().map(io.meshgate.lobby.PublicLobby::name).toList()
                            .equals(List.of("FineLobby", "GoodLobby")));
        } finally {
            client.shutdown();
        }
    }
}

package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.meshgate.lobby.Reason;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RedisProcess;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Redis away for a while: a node refuses at once, saying so, what needs the others (a lobby it does not have), plays
 * quick play on its own, and once Redis is back (empty, restarted) its lobbies are found from the other node again.
 */
class ClusterWithoutRedisTest {

    @Test
    void withoutRedisCrossNodeJoinsAreRefusedAtOnceAndAfterItsRestartTheyWorkAgain() throws Exception {
        try (TestCluster cluster = TestCluster.start()) {
            RedisProcess redis = cluster.redis;
            TestServer a = cluster.node("node-a");
            TestServer b = cluster.node("node-b");
            SignalingClient host = a.connect();
            String lobby = host.create(true);

            redis.kill();
            Eventually.value("both nodes notice Redis is gone",
                    () -> health(a).contains("redis unreachable") && health(b).contains("redis unreachable") ? true : null);
            SignalingClient joiner = b.connect();
            long asked = System.nanoTime();
            joiner.send(SignalMessage.JOIN, 0, lobby);
            assertEquals(CloseStatus.of(Reason.CLUSTER_UNREACHABLE), joiner.awaitClose());
            long refusedMs = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(refusedMs < 1000, "refused at once, not after a command's timeout: " + refusedMs + " ms");

            SignalingClient player = b.connect(); // quick play needs nobody else: it plays here
            player.send(SignalMessage.JOIN, 0, "*");
            player.expect(SignalMessage.ID, 1, "true");
            assertEquals(SignalMessage.JOIN, player.next().type());

            redis.restart(); // empty
            RedisClient client = RedisClient.create(redis.url());
            try {
                Eventually.await("A listed its lobby again", () -> {
                    try {
                        return "node-a".equals(client.connect().sync().get("meshgate:lobby:" + lobby));
                    } catch (RuntimeException e) {
                        return false; // Redis still starting
                    }
                });
            } finally {
                client.shutdown();
            }
            SignalingClient again = b.connect();
            again.send(SignalMessage.JOIN, 0, lobby);
            SignalMessage id = again.next();
            assertEquals(SignalMessage.ID, id.type(), id.toString());
            again.expect(SignalMessage.PEER_CONNECT, 1, "");
            assertEquals(lobby, again.awaitJoin());
            host.expect(SignalMessage.PEER_CONNECT, id.id(), "");
        }
    }

    /** The node's /health, whose second line is its view of the cluster. */
    private static String health(TestServer node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

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
 * Redis away for a while: a node refuses at once, saying so, what needs the others (a lobby it does not have, a
 * GStreamer room or call of another node), plays quick play and takes GStreamer uids on its own, and once Redis is
 * back (empty, restarted) its lobbies, rooms and uids are found from the other node again.
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
            SignalingClient ann = gstreamer(a, "gst-ann");
            ann.sendRaw("ROOM gr");
            assertEquals("ROOM_OK ", ann.nextRaw());
            gstreamer(a, "gst-idle");

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

            // GStreamer: a uid is taken on the node alone; a room of another node, or a call there, cannot be
            SignalingClient bob = gstreamer(b, "gst-bob");
            bob.sendRaw("SESSION gst-idle");
            assertEquals("ERROR the peer's server cannot be reached now, try again", bob.nextRaw());
            bob.sendRaw("ROOM gr");
            assertEquals(CloseStatus.of(Reason.CLUSTER_UNREACHABLE), bob.awaitClose());
            SignalingClient cid = gstreamer(a, "gst-cid"); // the room's own node still has it
            cid.sendRaw("ROOM gr");
            assertEquals("ROOM_OK gst-ann", cid.nextRaw());
            SignalingClient eve = gstreamer(b, "gst-eve");

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
            // B reaches Redis again in its own time; until then it refuses as above
            Eventually.value("B reaches Redis again", () -> health(b).contains("redis reachable") ? true : null);
            SignalingClient again = b.connect();
            again.send(SignalMessage.JOIN, 0, lobby);
            SignalMessage id = again.next();
            assertEquals(SignalMessage.ID, id.type(), id.toString());
            again.expect(SignalMessage.PEER_CONNECT, 1, "");
            assertEquals(lobby, again.awaitJoin());
            host.expect(SignalMessage.PEER_CONNECT, id.id(), "");

            // the uids and the room taken meanwhile are claimed again, and reach across nodes again
            RedisClient reader = RedisClient.create(redis.url());
            try {
                var directory = reader.connect().sync();
                Eventually.await("the room and the uids are claimed again",
                        () -> "node-a".equals(directory.get("meshgate:lobby:gstreamer:gr"))
                                && "node-b".equals(directory.get("meshgate:gstreamer:gst-eve"))
                                && directory.get("meshgate:gstreamer:gst-bob") == null); // gone meanwhile
            } finally {
                reader.shutdown();
            }
            SignalingClient dan = gstreamer(b, "gst-dan");
            dan.sendRaw("ROOM gr");
            String list = dan.nextRaw();
            assertTrue(list.equals("ROOM_OK gst-ann gst-cid") || list.equals("ROOM_OK gst-cid gst-ann"), list);
            SignalingClient twin = a.connect("/gst");
            twin.sendRaw("HELLO gst-eve");
            twin.expectClose(1002, "invalid peer uid");
            SignalingClient caller = gstreamer(a, "gst-caller");
            caller.sendRaw("SESSION gst-eve");
            assertEquals("SESSION_OK", caller.nextRaw());
            caller.sendRaw("{}");
            assertEquals("{}", eve.nextRaw());
        }
    }

    private static SignalingClient gstreamer(TestServer node, String uid) throws Exception {
        SignalingClient client = node.connect("/gst");
        client.sendRaw("HELLO " + uid);
        assertEquals("HELLO", client.nextRaw());
        return client;
    }

    /** The node's /health, whose second line is its view of the cluster. */
    private static String health(TestServer node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

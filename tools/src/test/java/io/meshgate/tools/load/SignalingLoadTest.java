package io.meshgate.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator against a real server: it must join everyone, relay, account for every message, and report. */
class SignalingLoadTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // The relay run sends as fast as its window allows (over 1000 messages/s per client); the flood limit
        // is raised as in bench/signaling.sh so that the run measures relaying, not the limiter.
        server = new TestServer("--message-rate", "100000", "--message-burst", "100000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void relayModeDeliversEverythingItSends() throws Exception {
        Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url", server.uri("/").toString(), "--clients", "24",
            "--lobby-size", "4", "--window", "2", "--warmup", "0", "--seconds", "1", "--io-threads", "2"});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(24L, result.get("joined"));
        assertTrue((Long) result.get("relayed") > 100, result.toString());
        assertEquals(0L, result.get("lost"));
        assertEquals((Long) result.get("sent"), (Long) result.get("received"));
        assertTrue((Double) result.get("relayP99Ms") > 0, result.toString());
        assertTrue((Double) result.get("joinP99Ms") > 0, result.toString());
    }

    @Test
    void openLoopSendsAtTheAskedRateWhateverTheReplies() throws Exception {
        Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url", server.uri("/").toString(),
            "--clients", "20", "--lobby-size", "4", "--rate", "400", "--warmup", "1", "--seconds", "2",
            "--server-pid", Long.toString(ProcessHandle.current().pid())});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(400L, ((Number) result.get("rate")).longValue());
        long perSec = (Long) result.get("relayPerSec");
        assertTrue(perSec >= 340 && perSec <= 460, "400 a second, not as fast as replies allow: " + result);
        assertTrue((Double) result.get("serverCpuUsPerMessage") > 0, result.toString());
    }

    /** Against two nodes of a cluster: clients spread over both, and Redis's commands and CPU per message reported. */
    @Test
    void aClusterRunReportsRedisCostPerMessage() throws Exception {
        try (TestCluster cluster = TestCluster.start()) {
            TestServer a = cluster.node("node-a", "--message-rate", "100000", "--message-burst", "100000");
            TestServer b = cluster.node("node-b", "--message-rate", "100000", "--message-burst", "100000");
            Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url",
                a.uri("/") + "," + b.uri("/"), "--clients", "16", "--lobby-size", "4", "--rate", "200", "--warmup",
                "1", "--seconds", "2", "--server-pid", Long.toString(ProcessHandle.current().pid()),
                "--redis-url", cluster.redis.url(), "--redis-pid", Long.toString(cluster.redis.pid())});
            assertEquals(true, result.get("ok"), result.toString());
            assertEquals(0L, result.get("lost"), result.toString());
            double commands = (Double) result.get("redisCommandsPerMessage");
            // half the lobby mates are on the other node: a message crosses at most twice, each PUBLISH one command
            assertTrue(commands > 0 && commands < 3, result.toString());
            assertTrue((Double) result.get("serverCpuCores") <= Runtime.getRuntime().availableProcessors(),
                    "no more CPU than the machine has: " + result);
        }
    }

    @Test
    void idleModeHoldsEveryConnectionOpen() throws Exception {
        Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url", server.uri("/").toString(), "--clients", "30",
            "--lobby-size", "5", "--mode", "idle", "--seconds", "2", "--join-rate", "200"});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(30L, result.get("stillOpen"), "nothing closed them, the no-lobby timeout included");
        Eventually.await("the generator closes every lobby it opened",
                () -> server.server.lobbies().lobbyCount() == 0);
    }

    @Test
    void aServerThatRefusesIsReportedNotHung() throws Exception {
        TestServer small = new TestServer("--max-peers", "5");
        try {
            Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url",
                "ws://127.0.0.1:" + small.port() + "/", "--clients", "12", "--lobby-size", "4", "--seconds", "1"});
            assertEquals(false, result.get("ok"), result.toString());
            assertTrue((Long) result.get("joined") < 12, result.toString());
        } finally {
            small.close();
        }
    }
}

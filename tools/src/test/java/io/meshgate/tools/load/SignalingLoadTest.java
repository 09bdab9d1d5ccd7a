package io.meshgate.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.server.Config;
import io.meshgate.server.MeshgateServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator against a real server: it must join everyone, relay, account for every message, and report. */
class SignalingLoadTest {

    private static MeshgateServer server;

    @BeforeAll
    static void start() throws Exception {
        // The relay run sends as fast as its window allows (over 1000 messages/s per client); the flood limit
        // is raised as in bench/signaling.sh so that the run measures relaying, not the limiter.
        server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0",
            "--message-rate", "100000", "--message-burst", "100000")).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String url() {
        return "ws://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void relayModeDeliversEverythingItSends() throws Exception {
        Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url", url(), "--clients", "24",
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
    void idleModeHoldsEveryConnectionOpen() throws Exception {
        Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url", url(), "--clients", "30",
            "--lobby-size", "5", "--mode", "idle", "--seconds", "2", "--join-rate", "200"});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(30L, result.get("stillOpen"), "nothing closed them, the no-lobby timeout included");
        Eventually.lobbiesGone(server);
    }

    @Test
    void aServerThatRefusesIsReportedNotHung() throws Exception {
        MeshgateServer small = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0", "--max-peers", "5")).start();
        try {
            Map<String, Object> result = SignalingLoad.runForResult(new String[] {"--url",
                "ws://127.0.0.1:" + small.port() + "/", "--clients", "12", "--lobby-size", "4", "--seconds", "1"});
            assertEquals(false, result.get("ok"), result.toString());
            assertTrue((Long) result.get("joined") < 12, result.toString());
        } finally {
            small.stop();
        }
    }

    /** Waits, bounded, for the server to have no lobby left after a run closed its clients. */
    private static final class Eventually {
        static void lobbiesGone(MeshgateServer server) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.lobbies().lobbyCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, server.lobbies().lobbyCount(), "the generator closes what it opened");
        }
    }
}

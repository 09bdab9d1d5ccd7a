package io.meshgate.tools.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The WebRTC benchmarks, small, against a real server in the test network namespace: they must measure, not hang. */
@Tag("netns")
class RtcBenchmarksTest {

    private static final String TOKEN = "bench-test-token";
    private static TestServer server;

    private static String adminUrl() {
        return "http://127.0.0.1:" + server.server.adminPort() + "/";
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--rtc-reveal-cidrs", "10.213.0.0/24", "--rtc-generation-budget", "1000",
                "--admin-token", TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void gameLoadOpensEveryBotAndReadsTheServersTicks() throws Exception {
        Map<String, Object> result = GameLoad.measure(new String[] {"--url", server.uri("/").toString(),
            "--admin-url", adminUrl(), "--admin-token", TOKEN, "--lobbies", "2", "--lobby-size",
            "2", "--seconds", "2"});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(4L, result.get("opened"));
        assertTrue((Long) result.get("serverTicks") > 30, "two lobbies ticked at 30 Hz for 2 s: " + result);
        assertTrue((Double) result.get("snapshotsPerSecAvg") > 10, result.toString());
    }

    @Test
    void standInLoadTimesARelayPlayerAgainstWebRtcMembersOfOnePeerHostedLobby() throws Exception {
        Map<String, Object> result = StandInLoad.measure(new String[] {"--url", server.uri("/").toString(),
            "--lobbies", "1", "--seconds", "2"});
        assertEquals(true, result.get("ok"), result.toString());
        // 30 packets a second each way, for two seconds: most of them inside the window, for every kind of member
        for (String way : new String[] {"hostToRelay", "relayToHost"}) {
            assertTrue((Long) result.get(way + "Count") >= 45, way + ": " + result);
        }
        for (String way : new String[] {"hostToWebRtc", "webRtcToHost"}) {
            assertTrue((Long) result.get(way + "Count") >= 90, "two WebRTC members, " + way + ": " + result);
        }
        assertTrue((Long) result.get("forwardedPerSec") >= 45, "the server forwarded both ways: " + result);
    }

    @Test
    void soakCountsEveryMessageAndRetiresGenerations() throws Exception {
        Map<String, Object> result = RtcSoak.measure(new String[] {"--url", server.uri("/").toString(),
            "--admin-url", adminUrl(), "--admin-token", TOKEN, "--lobbies", "6", "--messages",
            "400", "--parallel", "2"});
        assertEquals(true, result.get("ok"), result.toString());
        assertEquals(2400L, result.get("messagesReceivedByServer"));
        // retirement is checked when a connection opens: 2,400 messages on a 1,000 budget retire at least one factory
        assertTrue((Long) result.get("generationsStarted") >= 2, "a 1000-message budget retires factories: " + result);
        assertTrue((Long) result.get("generationsDisposed") >= 1, "and disposes them once empty: " + result);
        assertEquals(0L, result.get("liveConnectionsAfter"));
    }
}

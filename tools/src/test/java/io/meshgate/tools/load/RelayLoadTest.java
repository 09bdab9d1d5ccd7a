package io.meshgate.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay benchmark, small, against a real server: every relayed packet arrives and its latency is measured. */
class RelayLoadTest {

    @Test
    void relayLoadAccountsForEveryPacket() throws Exception {
        try (TestServer server = new TestServer("--quick-play-size", "4")) {
            Map<String, Object> result = RelayLoad.measure(new String[] {"--url", "ws://127.0.0.1:" + server.port() + "/",
                "--clients", "8", "--seconds", "1", "--warmup", "1"});
            assertEquals(true, result.get("ok"), result.toString());
            assertEquals(result.get("sent"), result.get("delivered"), "nothing lost: " + result);
            assertTrue((Long) result.get("relayedPerSec") > 100, result.toString());
            assertTrue((Double) result.get("gamePacketsPerClientPerSec") > 20, "snapshots came back: " + result);
            assertTrue((Double) result.get("relayP99Ms") > 0, result.toString());
        }
    }
}

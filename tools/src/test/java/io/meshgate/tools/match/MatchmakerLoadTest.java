package io.meshgate.tools.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matchmaker benchmark, small: it matches, and its figures hang together. */
class MatchmakerLoadTest {

    @Test
    void aSmallStandingPoolIsMatchedAndMeasured() {
        Map<String, Object> result = MatchmakerLoad.measure(new String[] {"--tickets", "600", "--cycles", "20",
            "--warmup", "2"});
        assertEquals(true, result.get("ok"), result.toString());
        double matches = (Double) result.get("matchesPerSecond");
        double players = (Double) result.get("playersMatchedPerSecond");
        assertTrue(matches > 50, result.toString());
        assertTrue(players >= 2 * matches && players <= 8 * matches, "2 to 8 players a match: " + result);
        assertTrue((Double) result.get("matchP50S") <= 1.0, "most wait one cycle: " + result);
        assertTrue((Double) result.get("cycleP99Ms") >= (Double) result.get("cycleP50Ms"), result.toString());
    }
}

package io.meshgate.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** A channel's send bound without a JNI call per send: it asks rarely, and never lets the real amount pass. */
class BacklogTest {

    private static final int SNAPSHOT = 1000;

    @Test
    void aChannelThatDrainsIsAskedAboutOncePerMegabyteSent() {
        RtcConnection.Backlog backlog = new RtcConnection.Backlog();
        AtomicInteger asks = new AtomicInteger();
        LongSupplier drained = () -> {
            asks.incrementAndGet();
            return 0;
        };
        for (int i = 0; i < 10_000; i++) {
            assertTrue(backlog.admits(drained, SNAPSHOT));
            backlog.sent(SNAPSHOT);
        }
        // 10 MB sent, 1 MiB between asks
        assertTrue(asks.get() >= 9 && asks.get() <= 10, "asked " + asks.get() + " times for 10,000 sends");
    }

    @Test
    void aChannelThatDoesNotDrainRefusesAtTheLimit() {
        RtcConnection.Backlog backlog = new RtcConnection.Backlog();
        long[] waiting = {0};
        LongSupplier stuck = () -> waiting[0];
        int accepted = 0;
        while (backlog.admits(stuck, SNAPSHOT) && accepted < 10_000) {
            backlog.sent(SNAPSHOT);
            waiting[0] += SNAPSHOT; // the reader takes nothing
            accepted++;
        }
        assertEquals(RtcConnection.MAX_BUFFERED / SNAPSHOT, accepted, "filled to the limit, not past it");
        assertFalse(backlog.admits(stuck, SNAPSHOT));
        waiting[0] = 0; // the reader caught up
        assertTrue(backlog.admits(stuck, SNAPSHOT), "sends resume once the channel drained");
    }
}

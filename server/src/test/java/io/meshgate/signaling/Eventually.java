package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bound, polling: for state that has no event to wait on, such as a counter. */
final class Eventually {

    private Eventually() {
    }

    static void await(BooleanSupplier condition, Duration within, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + within + ": " + what.get());
            }
            Thread.sleep(10);
        }
    }
}

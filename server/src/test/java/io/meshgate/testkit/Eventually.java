package io.meshgate.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a bound, polling: for state that has no event to wait on, such as a counter or a game's
 * published view. The one polling helper of the tests.
 */
public final class Eventually {

    /** How long a condition may take unless a test says otherwise; generous for a loaded 2-core machine. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private Eventually() {
    }

    public static void await(BooleanSupplier condition, Duration within, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + within + ": " + what.get());
            }
            Thread.sleep(10);
        }
    }

    /** Waits up to {@link #WAIT} for {@code condition}, described by {@code what}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(condition, WAIT, () -> what);
    }

    /**
     * Polls {@code read} until it gives a value other than null, and returns it; waits up to {@link #WAIT}. What it
     * throws fails the wait at once.
     */
    public static <T> T value(String what, Callable<T> read) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T value = read.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}

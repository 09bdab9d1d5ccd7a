package io.meshgate.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram in microseconds with log-linear buckets: 32 sub-buckets per power of two, so a
 * percentile is reported at most about 3% above the true value. Any thread may record; reads are approximate while
 * recording.
 */
public final class Histogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB + SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public static int index(long value) {
        if (value < SUB) {
            return (int) Math.max(0, value);
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS + 1;
        int sub = (int) (value >>> magnitude) - SUB / 2;
        return magnitude * (SUB / 2) + SUB / 2 + sub;
    }

    /** The largest value that lands in bucket {@code index}. */
    public static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int magnitude = (index - SUB / 2) / (SUB / 2);
        int sub = (index - SUB / 2) % (SUB / 2) + SUB / 2;
        return (((long) sub + 1) << magnitude) - 1;
    }

    public void record(long micros) {
        counts.incrementAndGet(index(micros));
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The value at {@code percentile} (0..100), or 0 with no samples. */
    public long percentile(double percentile) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}

package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void bucketsCoverEveryValueInOrderAndTheirBoundsContainIt() {
        int previous = -1;
        for (long value = 0; value < 100_000; value++) {
            int index = Histogram.index(value);
            assertTrue(index >= previous, "monotonic at " + value);
            assertTrue(Histogram.upperBound(index) >= value, "bound of " + value);
            assertTrue(index == 0 || Histogram.upperBound(index - 1) < value, "tight at " + value);
            previous = index;
        }
    }

    @Test
    void percentilesAreWithinThreePercentAboveTheTruth() {
        Histogram histogram = new Histogram();
        Random random = new Random(3);
        long[] values = new long[50_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.abs(random.nextGaussian() * 20_000) + 50;
            histogram.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            long truth = values[(int) Math.ceil(values.length * p / 100.0) - 1];
            long reported = histogram.percentile(p);
            assertTrue(reported >= truth && reported <= truth * 1.031 + 1, p + ": " + reported + " vs " + truth);
        }
        assertEquals(values.length, histogram.count());
        histogram.reset();
        assertEquals(0, histogram.percentile(99));
    }
}

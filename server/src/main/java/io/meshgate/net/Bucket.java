package io.meshgate.net;

/**
 * A token bucket: {@code burst} at once, then {@code perSecond}. Not thread-safe: one per connection, used by the
 * thread delivering its frames.
 */
public final class Bucket {

    private final double burst;
    private final double perNano;
    private double tokens;
    private long at = System.nanoTime();

    public Bucket(double burst, double perSecond) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.tokens = burst;
    }

    /** Takes a token; false when there is none now. */
    public boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - at) * perNano);
        at = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}

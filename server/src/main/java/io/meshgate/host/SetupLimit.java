package io.meshgate.host;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the server-side WebRTC connections being set up, in total and per client address. Each holds native
 * sockets from its first offer or candidate until its channels open, so joins that never connect could otherwise
 * exhaust the process's file descriptors within one connect timeout. Any thread.
 */
public final class SetupLimit {

    private final int total;
    private final int perAddress;
    private final Map<String, Integer> byAddress = new HashMap<>();
    private int pending;

    public SetupLimit(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Takes a place for a connection from {@code address} (null: counted in the total only); false when full. */
    public synchronized boolean reserve(String address) {
        if (pending >= total || address != null && byAddress.getOrDefault(address, 0) >= perAddress) {
            return false;
        }
        pending++;
        if (address != null) {
            byAddress.merge(address, 1, Integer::sum);
        }
        return true;
    }

    /** Gives back a place {@link #reserve} took. */
    public synchronized void release(String address) {
        pending--;
        if (address != null) {
            byAddress.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** Connections being set up now. */
    public synchronized int pending() {
        return pending;
    }
}

package io.meshgate.lobby;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server recently refused and closed, and what its operator did, for the admin page: a fixed number of
 * entries, the oldest forgotten first, so a flood of refusals costs no more memory than a quiet day. Any thread.
 */
public final class Journal {

    /** How much of a detail is kept: details may quote what a client chose (a room's name). */
    static final int MAX_DETAIL = 160;

    /**
     * One event: when, of which kind ({@code refused}, {@code closed}, {@code dropped}, {@code lobby closed},
     * {@code admin}), the client address it concerns (null if none), and what happened.
     */
    public record Entry(long atMillis, String kind, String address, String detail) {
    }

    private final Entry[] ring;
    private int next;
    private long total;

    public Journal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a journal holds at least one entry");
        }
        this.ring = new Entry[capacity];
    }

    public void add(String kind, String address, String detail) {
        String kept = detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
        Entry entry = new Entry(System.currentTimeMillis(), kind, address, kept);
        synchronized (this) {
            ring[next] = entry;
            next = (next + 1) % ring.length;
            total++;
        }
    }

    /** The entries held, oldest first. */
    public synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(ring.length);
        for (int i = 0; i < ring.length; i++) {
            Entry entry = ring[(next + i) % ring.length];
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** How many entries were ever added, those forgotten included. */
    public synchronized long total() {
        return total;
    }
}

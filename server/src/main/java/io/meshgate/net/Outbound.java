package io.meshgate.net;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Coalesces the frames a worker sends during one run of queued lobby events into as few socket writes as possible.
 *
 * <p>Within a batch, {@link Connection#send} queues frames without flushing; when the batch ends, every connection
 * it touched is flushed once. A batch of one event flushes at once, so an idle server adds no latency; a busy one
 * writes several frames per system call, on both ends of every socket.
 */
public final class Outbound {

    private static final ThreadLocal<List<Connection>> BATCH = new ThreadLocal<>();

    private Outbound() {
    }

    /** Wraps a pool so that each task it runs is one batch. */
    public static Executor batching(Executor pool) {
        return task -> pool.execute(() -> batch(task));
    }

    static void batch(Runnable task) {
        List<Connection> touched = new ArrayList<>();
        BATCH.set(touched);
        try {
            task.run();
        } finally {
            BATCH.remove();
            for (Connection connection : touched) {
                connection.flush();
            }
        }
    }

    /** True if the caller is inside a batch, whose end flushes what it sent (see {@link #flushAtEnd}). */
    static boolean inBatch() {
        return BATCH.get() != null;
    }

    /**
     * Has the caller's batch flush {@code connection} when it ends; called inside a batch, after the frame is queued.
     * If another batch's mark is already set, that batch has not flushed yet, and its flush, queued after this frame,
     * will carry it: marking before queuing would let that flush slip in between and leave the frame unsent.
     */
    static void flushAtEnd(Connection connection) {
        if (connection.markFlushPending()) {
            BATCH.get().add(connection);
        }
    }
}

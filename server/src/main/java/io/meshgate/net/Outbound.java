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

    /** True if the caller is inside a batch, which will flush {@code connection} when it ends. */
    static boolean defer(Connection connection) {
        List<Connection> touched = BATCH.get();
        if (touched == null) {
            return false;
        }
        if (connection.markFlushPending()) {
            touched.add(connection);
        }
        // If the mark was already set, the batch that set it has not flushed yet and will cover this frame too.
        return true;
    }
}

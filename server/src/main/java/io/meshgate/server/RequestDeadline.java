package io.meshgate.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long an HTTP request (a WebSocket upgrade included) may take to arrive whole. Jetty's idle timeout starts
 * again with every byte, so a client trickling a byte every few seconds held its socket forever, and enough of them
 * from one address exhausted the process's file descriptors. An HTTP connection that is not handling a request and
 * has not completed one for the timeout is closed; a response being written (a download) is never cut.
 *
 * <p>Jetty reports connections opening and closing on its I/O threads; one sweep on the server's timer checks them.
 */
final class RequestDeadline implements Connection.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);

    /** What the sweep last saw of one connection. */
    private static final class Watch {
        long requests;
        long since;

        Watch(long now) {
            since = now;
        }
    }

    private final long timeoutNanos;
    private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweep;

    RequestDeadline(Duration timeout, ScheduledExecutorService timer) {
        this.timeoutNanos = timeout.toNanos();
        long every = Math.max(10, timeout.toMillis() / 4);
        this.sweep = timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.put(http, new Watch(System.nanoTime()));
        }
    }

    /** Also called when a connection is upgraded to WebSocket: from then on its own keepalive and deadlines govern. */
    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.remove(http);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<HttpConnection, Watch> entry : watched.entrySet()) {
                HttpConnection connection = entry.getKey();
                Watch watch = entry.getValue();
                long requests = connection.getMessagesIn();
                boolean handling = connection.getHttpChannel().getRequest() != null;
                if (handling || requests != watch.requests) {
                    watch.requests = requests;
                    watch.since = now;
                } else if (now - watch.since > timeoutNanos) {
                    watched.remove(connection);
                    LOG.info("Connection {} sent no whole request in {} ms; closed", connection.getEndPoint()
                            .getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                    connection.getEndPoint().close();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Request deadline sweep failed; it will run again", e);
        }
    }

    @Override
    public void close() {
        sweep.cancel(false);
    }
}

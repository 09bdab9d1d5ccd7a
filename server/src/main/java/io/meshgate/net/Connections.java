package io.meshgate.net;

import io.meshgate.lobby.Journal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open WebSocket connection of the server, and the watchdog that pings them, enforces join deadlines and cuts
 * connections that never finish closing. One sweep over all connections replaces a timer per connection.
 */
public final class Connections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    /**
     * The knobs a connection needs; the dialect supplies the protocol, these the hygiene. {@code maxSendQueueTotal}:
     * bytes the server holds for all its slow readers together; past it the readers that hold the most are dropped
     * (see {@link #queued}).
     */
    public record Settings(int messageRate, int messageBurst, int maxSendQueue, long maxSendQueueTotal,
                           Duration pingInterval, Duration pongTimeout, Duration sweepInterval, int maxPerAddress,
                           boolean sameUserReplaces) {
    }

    private final Settings settings;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Open connections by endpoint (a dialect's path), for /stats. */
    private final ConcurrentHashMap<String, AtomicInteger> byEndpoint = new ConcurrentHashMap<>();
    /** Open connections by client address; an address leaves the map with its last connection. */
    private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();
    /**
     * With authentication, each user's connection of each kind ("signaling" or "relay": a player whose WebRTC failed
     * joins over the relay before it leaves signaling) by user id; a user leaves the map with its connection.
     */
    private final ConcurrentHashMap<String, SocketPeer> users = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> watchdog;
    /** Messages clients sent (within the rate), and those refused by it; for metrics. */
    private final LongAdder messages = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    /** Closes the server started, by code; the codes are the server's own, a handful. */
    private final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    /** Payload bytes of the text and binary messages received; messages and payload bytes written to clients. */
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final Journal journal;
    /** Bytes queued to every client together, as each connection counts them. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Held by the one thread looking for a connection to shed; the others go on. */
    private final ReentrantLock shedding = new ReentrantLock();
    /** Set once the server is stopping: every close from then on says this, whatever its cause. */
    private volatile CloseStatus closingAll;

    /** @param journal where the closes the server makes are noted for the admin page */
    public Connections(Settings settings, ScheduledExecutorService timer, Journal journal) {
        this.settings = settings;
        this.journal = journal;
        long sweep = settings.sweepInterval().toNanos();
        this.watchdog = timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
    }

    /**
     * Tracks a newly opened WebSocket session, counted under {@code endpoint} and the client's {@code address}. A
     * connection beyond its address's limit is closed at once with {@link CloseStatus#ADDRESS_CONNECTION_LIMIT}, one
     * opened while the server closes everyone with that status; then {@link Connection#isClosing} is true on return.
     */
    public Connection open(Session session, String endpoint, String address) {
        Connection connection = new Connection(session, this, endpoint, address);
        open.add(connection);
        byEndpoint.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
        int fromAddress = byAddress.merge(address, 1, Integer::sum);
        CloseStatus all = closingAll;
        if (all != null) {
            // Upgraded just as the server began closing everyone: closeAll may have passed it by. Checked after the
            // connection is in the set, so that one of the two always sees it.
            connection.close(all);
        } else if (settings.maxPerAddress() > 0 && fromAddress > settings.maxPerAddress()) {
            LOG.info("Connection {} refused: {} connections from {}", connection.remote(), fromAddress - 1, address);
            connection.close(CloseStatus.ADDRESS_CONNECTION_LIMIT);
        }
        return connection;
    }

    /**
     * Records {@code peer} as the connection of its user's {@code key}. When the user has one already, the newer
     * replaces it ({@link CloseStatus#SIGNED_IN_ELSEWHERE}) or, with {@code sameUserReplaces} off, is refused: false.
     */
    boolean claimUser(String key, SocketPeer peer) {
        SocketPeer[] replaced = new SocketPeer[1];
        SocketPeer holder = users.compute(key, (user, current) -> {
            if (current == null || current == peer || settings.sameUserReplaces()) {
                replaced[0] = current == peer ? null : current;
                return peer;
            }
            return current;
        });
        if (replaced[0] != null) {
            replaced[0].replaced();
        }
        return holder == peer;
    }

    /** The user's connection {@code peer} closed. */
    void releaseUser(String key, SocketPeer peer) {
        users.remove(key, peer);
    }

    void remove(Connection connection) {
        if (connection.markRemoved()) {
            // The address's count first: whoever sees the total fall may connect again from that address.
            byAddress.computeIfPresent(connection.address(), (address, count) -> count > 1 ? count - 1 : null);
            byEndpoint.get(connection.endpoint()).decrementAndGet();
            open.remove(connection);
        }
    }

    /** Open connections per endpoint that has ever had one, sorted by endpoint. */
    public Map<String, Integer> countByEndpoint() {
        Map<String, Integer> counts = new TreeMap<>();
        byEndpoint.forEach((endpoint, count) -> counts.put(endpoint, count.get()));
        return counts;
    }

    public int count() {
        return open.size();
    }

    /** The status every close says once {@link #closeAll} began, or null. */
    CloseStatus closingAll() {
        return closingAll;
    }

    void countMessage(boolean allowed) {
        (allowed ? messages : rateLimited).increment();
    }

    void countClose(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void countDropped() {
        dropped.increment();
    }

    void countReceived(int bytes) {
        bytesReceived.add(bytes);
    }

    void countSent(int bytes) {
        messagesSent.increment();
        bytesSent.add(bytes);
    }

    Journal journal() {
        return journal;
    }

    /** Payload bytes of the text and binary messages received within the rate limit since the start. */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** Messages written to clients since the start. */
    public long messagesSent() {
        return messagesSent.sum();
    }

    /** Payload bytes of the messages written to clients since the start. */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Messages received within the rate limit since the start. */
    public long messagesReceived() {
        return messages.sum();
    }

    /** Messages refused by the rate limit (each closes its connection) since the start. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Closes the server started since the start, by close code, sorted. */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> counts = new TreeMap<>();
        closes.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** Slow readers dropped (their queue released) since the start. */
    public long dropped() {
        return dropped.sum();
    }

    /** Bytes queued to every client together. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Whether {@code size} more bytes would take the server past seven eighths of its budget. */
    boolean nearBudget(long size) {
        return queuedBytes.get() + size > settings.maxSendQueueTotal() / 8 * 7;
    }

    /**
     * A connection queued {@code size} bytes. Past the budget, the connection holding the most is dropped at once,
     * its bytes released: a few readers that do not read cannot take the server's memory, whichever lobby they are
     * in. Each over-budget frame sheds one connection, so the total stays within the budget plus the frames being
     * queued at that moment.
     */
    void queued(long size) {
        if (queuedBytes.addAndGet(size) <= settings.maxSendQueueTotal() || !shedding.tryLock()) {
            return;
        }
        try {
            Connection worst = null;
            for (Connection connection : open) {
                if (worst == null || connection.queuedBytes() > worst.queuedBytes()) {
                    worst = connection;
                }
            }
            if (worst != null) {
                LOG.info("Send budget of {} bytes spent ({} queued): dropping {}, which holds {}",
                        settings.maxSendQueueTotal(), queuedBytes.get(), worst.remote(), worst.queuedBytes());
                worst.shed();
            }
        } finally {
            shedding.unlock();
        }
    }

    void dequeued(long size) {
        queuedBytes.addAndGet(-size);
    }

    int messageRate() {
        return settings.messageRate();
    }

    int messageBurst() {
        return settings.messageBurst();
    }

    long maxSendQueue() {
        return settings.maxSendQueue();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            long ping = settings.pingInterval().toNanos();
            long pong = settings.pongTimeout().toNanos();
            for (Connection connection : open) {
                // A close that the peer does not answer within one pong timeout is as dead as an unanswered ping.
                connection.sweep(now, ping, pong, pong);
            }
        } catch (RuntimeException e) {
            LOG.error("Watchdog sweep failed; it will run again", e);
        }
    }

    /**
     * Starts closing every connection with {@code status}. From this call on, any close (a lobby that ends because its
     * host was closed first, a dialect's error) says {@code status} too: every client of a stopping server is told the
     * one reason that is true.
     */
    public void closeAll(CloseStatus status) {
        closingAll = status;
        for (Connection connection : open) {
            connection.close(status);
        }
    }

    @Override
    public void close() {
        watchdog.cancel(false);
    }
}

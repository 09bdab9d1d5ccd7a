package io.meshgate.net;

import io.meshgate.lobby.Traffic;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection, whatever its dialect: sends through a bounded queue, closes once, answers for keepalive,
 * rate and join deadline. The dialect owns the protocol; this class owns the socket's hygiene.
 *
 * <p>{@link #send} and {@link #close} may be called from any thread. {@link #allowMessage} is called only by the
 * thread delivering this connection's frames, one at a time. The watchdog calls {@link #sweep}.
 */
public final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** {@link #closingSince} of a connection that is not closing. */
    private static final long OPEN = Long.MIN_VALUE;

    private final Session session;
    /** Jetty's core session: the one that can queue a frame without flushing it (see {@link Outbound}). */
    private final CoreSession core;
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private final Connections owner;
    private final String remote;
    private final String endpoint;
    private final String address;

    /**
     * What each queued frame costs besides its payload: the frame, its buffer, the callback and the queue's node. An
     * estimate; it keeps a flood of small frames from looking free.
     */
    static final int FRAME_COST = 128;

    private final AtomicLong queuedBytes = new AtomicLong();
    /** Received: written only by the thread delivering this connection's frames, read by anyone. */
    private volatile long messagesIn;
    private volatile long bytesIn;
    /** Written: counted when Jetty has written a frame, on whichever thread that completes. */
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    /**
     * When the close began (System.nanoTime), or {@link #OPEN}. One value, so that the watchdog never sees a
     * connection closing without knowing since when: it would cut it at once, before its close frame was written.
     */
    private final AtomicLong closingSince = new AtomicLong(OPEN);
    /** Set when the connection leaves its owner's counts (see {@link #markRemoved}). */
    private final AtomicBoolean removed = new AtomicBoolean();
    /** The close the server started, or null; and whether it dropped the connection instead (see {@link #shed}). */
    private volatile CloseStatus closeSent;
    private volatile boolean dropped;

    /** The message rate limit, touched only by the reader thread. */
    private final Bucket rate;

    private long lastPingAt;
    private volatile long pingOutstandingSince;

    /** A time by which the client must have done something, and what happens if it has not. */
    private record Deadline(long at, Runnable action) {
    }

    /**
     * The one pending deadline, or null. One atomic value, so that a deadline set or cleared just as the old one
     * falls due replaces it whole: the watchdog runs an action only by taking its own deadline out.
     */
    private final AtomicReference<Deadline> deadline = new AtomicReference<>();

    Connection(Session session, Connections owner, String endpoint, String address) {
        this.endpoint = endpoint;
        this.address = address;
        this.session = session;
        this.core = ((WebSocketSession) session).getCoreSession();
        this.owner = owner;
        this.remote = describe(session.getRemoteSocketAddress());
        this.rate = new Bucket(owner.messageBurst(), owner.messageRate());
        this.lastPingAt = System.nanoTime();
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    String endpoint() {
        return endpoint;
    }

    /** True the first time only: the connection leaves its owner's counts once. */
    boolean markRemoved() {
        return removed.compareAndSet(false, true);
    }

    /** The client's address for per-address limits (behind a trusted proxy, the one it reports). */
    public String address() {
        return address;
    }

    /** The client's address, for logs. */
    public String remote() {
        return remote;
    }

    public boolean isClosing() {
        return closingSince.get() != OPEN;
    }

    /** True the first time only: marks the connection closing from now. */
    private boolean startClosing() {
        long now = System.nanoTime();
        // nanoTime may be any value, even OPEN's; a close that began at that instant is taken to begin a tick later
        return closingSince.compareAndSet(OPEN, now == OPEN ? now + 1 : now);
    }

    /** The close the server started, as the client was told it, or null if the server started none. */
    public CloseStatus closeSent() {
        return closeSent;
    }

    /** Whether the server dropped the connection for reading too slowly (see {@link #shed}). */
    public boolean dropped() {
        return dropped;
    }

    /**
     * Queues a text frame. A reader so slow that more than the configured bound is waiting is dropped (see
     * {@link #shed}) instead of growing the server's memory.
     */
    public void send(String text) {
        if (!isClosing()) {
            enqueue(OpCode.TEXT, text.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /**
     * Queues a binary frame. A {@code droppable} one (unreliable game traffic) is dropped, not queued, once half the
     * send bound is waiting or the server's send budget is nearly spent, so a slow reader loses snapshots before it
     * loses its connection; anything else past the bound drops it (see {@link #shed}). Returns whether the frame was
     * queued.
     */
    public boolean sendBinary(byte[] data, boolean droppable) {
        return !isClosing() && enqueue(OpCode.BINARY, data, droppable);
    }

    /**
     * Counts a frame's real cost (its bytes as sent, plus {@link #FRAME_COST}) against this connection's bound and
     * the server's budget, then hands it to Jetty; the count is given back when Jetty has written or dropped it.
     */
    private boolean enqueue(byte opcode, byte[] payload, boolean droppable) {
        long size = payload.length + FRAME_COST;
        long bound = owner.maxSendQueue();
        if (droppable && (queuedBytes.get() + size > bound / 2 || owner.nearBudget(size))) {
            return false;
        }
        if (queuedBytes.addAndGet(size) > bound) {
            queuedBytes.addAndGet(-size);
            LOG.info("Connection {} reads too slowly ({} bytes queued): dropped", remote, queuedBytes.get());
            shed();
            return false;
        }
        owner.queued(size);
        int length = payload.length;
        Runnable dequeued = () -> {
            queuedBytes.addAndGet(-size);
            owner.dequeued(size);
        };
        boolean batched = Outbound.inBatch();
        core.sendFrame(new Frame(opcode).setPayload(payload), org.eclipse.jetty.util.Callback.from(() -> {
            dequeued.run();
            messagesOut.incrementAndGet();
            bytesOut.addAndGet(length);
            owner.countSent(length);
        }, failure -> dequeued.run()), batched);
        if (batched) {
            Outbound.flushAtEnd(this);
        }
        return true;
    }

    /**
     * A text or binary message of {@code bytes} payload bytes was received and admitted; called only by the thread
     * delivering this connection's frames.
     */
    public void received(int bytes) {
        messagesIn++; // one writer at a time (see the class comment); readers only read
        bytesIn += bytes;
        owner.countReceived(bytes);
    }

    /** What this connection carried so far, both ways; any thread. */
    public Traffic traffic() {
        return new Traffic(messagesIn, bytesIn, messagesOut.get(), bytesOut.get());
    }

    /** Bytes waiting to be written to this client, counted as {@link #enqueue} counts them. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /**
     * Drops the connection at once, without a close handshake: what waits for it is released now, which a graceful
     * close (a close frame queued behind that data, to a reader that does not read) would only do once the watchdog
     * gave up on it. The client sees the connection end (1006), not a reason.
     */
    void shed() {
        dropped = true;
        owner.countDropped();
        owner.journal().add("dropped", address, "slow reader on " + endpoint + ": " + queuedBytes.get()
                + " bytes waiting");
        if (startClosing()) {
            deadline.set(null);
        }
        session.disconnect();
    }

    boolean markFlushPending() {
        return flushPending.compareAndSet(false, true);
    }

    void flush() {
        flushPending.set(false);
        core.flush(org.eclipse.jetty.util.Callback.NOOP);
    }

    /**
     * Starts the close handshake once; later calls do nothing. The watchdog cuts the socket if it never completes. Once
     * the server is closing every connection, the close says so, whatever {@code status} was asked.
     */
    public void close(CloseStatus status) {
        if (!startClosing()) {
            return;
        }
        CloseStatus all = owner.closingAll();
        if (all != null) {
            status = all;
        }
        closeSent = status;
        owner.countClose(status.code());
        owner.journal().add("closed", address, status + " on " + endpoint);
        deadline.set(null);
        session.close(status.code(), status.reason(), Callback.NOOP);
    }

    /** Takes one message from the rate budget; false means the connection exceeded it. */
    public boolean allowMessage() {
        boolean allowed = rate.take();
        owner.countMessage(allowed);
        return allowed;
    }

    /**
     * Runs {@code action} on the watchdog thread if neither {@link #clearDeadline} nor another {@code setDeadline} is
     * called within the delay; replaces any pending deadline. Any thread.
     */
    public void setDeadline(long delay, TimeUnit unit, Runnable action) {
        deadline.set(new Deadline(System.nanoTime() + unit.toNanos(delay), action));
    }

    /** Cancels the pending deadline, if any; any thread. */
    public void clearDeadline() {
        deadline.set(null);
    }

    public void pong() {
        pingOutstandingSince = 0;
    }

    /** Answers a client's ping with a pong of the same payload (Jetty's automatic pong is off, see SocketPeer). */
    public void answerPing(ByteBuffer payload) {
        if (!isClosing()) {
            session.sendPong(payload, Callback.NOOP);
        }
    }

    void sweep(long now, long pingInterval, long pongTimeout, long closeTimeout) {
        long since = closingSince.get();
        if (since != OPEN) {
            if (now - since > closeTimeout) {
                LOG.info("Connection {} did not finish closing in time; dropping it", remote);
                session.disconnect();
            }
            return;
        }
        Deadline due = deadline.get();
        if (due != null && now - due.at() >= 0 && deadline.compareAndSet(due, null)) {
            due.action().run();
            return;
        }
        long outstanding = pingOutstandingSince;
        if (outstanding != 0) {
            if (now - outstanding > pongTimeout) {
                LOG.info("Connection {} did not answer a ping in {} ms", remote, TimeUnit.NANOSECONDS.toMillis(pongTimeout));
                close(CloseStatus.PING_TIMEOUT);
            }
        } else if (now - lastPingAt >= pingInterval) {
            lastPingAt = now;
            pingOutstandingSince = now;
            session.sendPing(EMPTY.duplicate(), Callback.NOOP);
        }
    }

    /** Called by the dialect when Jetty reports the socket closed, whoever closed it. */
    public void closed() {
        startClosing();
        owner.remove(this);
    }
}

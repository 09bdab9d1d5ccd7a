package io.meshgate.cluster;

import io.meshgate.signaling.GStreamerPeer;
import io.meshgate.signaling.GStreamerRegistry;
import io.meshgate.signaling.GStreamerRegistry.Pairing;
import io.meshgate.wire.cluster.GstSession;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GStreamer clients across the cluster: each uid is claimed in the directory for the node its client is connected to,
 * and a {@code SESSION} with a uid of another node is a session between the two nodes, every frame of one side sent
 * to the other as a {@link GstSession} in order. A client sees what it would see on one node.
 *
 * <p>Envelopes arrive on Redis's client thread and are handled there: each only takes the registry's lock for a moment
 * and queues a frame on a connection, so nothing waits, and a session's frames reach the client in the order sent.
 */
public final class RemoteSessions implements GStreamerRegistry.Elsewhere {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSessions.class);

    /** A call the callee's node has not answered in this long is answered for it: that node is too slow to call. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final Cluster cluster;
    private final GStreamerRegistry registry;
    private final ScheduledExecutorService timer;
    private final AtomicLong numbers = new AtomicLong();
    /** Sessions of this node's clients with clients of other nodes, and calls waiting for an answer, by the client. */
    private final Map<GStreamerPeer, Session> byPeer = new ConcurrentHashMap<>();
    /** The same, by the caller's node and its number for the session. */
    private final Map<String, Session> byKey = new ConcurrentHashMap<>();

    /**
     * One side of a session between nodes: {@code peer} here, the other side on {@code node}; {@code caller}: whether
     * this side placed the call.
     */
    private static final class Session {
        final GStreamerPeer peer;
        final String node;
        final long number;
        final boolean caller;
        final String key;
        /** Set once the callee's node accepted (always, on the callee's side). */
        volatile boolean accepted;

        Session(GStreamerPeer peer, String node, long number, boolean caller, String key) {
            this.peer = peer;
            this.node = node;
            this.number = number;
            this.caller = caller;
            this.key = key;
            this.accepted = !caller;
        }
    }

    /** @param timer answers calls nobody answered; its tasks only post */
    public RemoteSessions(Cluster cluster, ScheduledExecutorService timer) {
        this.cluster = cluster;
        this.registry = new GStreamerRegistry(this);
        this.timer = timer;
        cluster.receive(GstSession.class, this::received);
        cluster.watch(this::watch);
    }

    /** This node's GStreamer clients, whose uids and sessions span the cluster through this. */
    public GStreamerRegistry registry() {
        return registry;
    }

    private static String key(String callerNode, long number) {
        return callerNode + "/" + number;
    }

    @Override
    public void claim(GStreamerPeer peer, String uid) {
        String key = Cluster.uidKey(uid);
        cluster.claim(key).whenComplete((holder, failure) -> {
            if (failure != null) {
                // as with lobbies, a node without Redis serves its own clients; the heartbeat claims it once back
                LOG.info("Peer {}: uid {} could not be claimed in the cluster ({}); it is this node's for now",
                        peer.id(), uid, failure.getMessage());
            } else if (!holder.equals(cluster.nodeId())) {
                LOG.info("Peer {}: uid {} is held by a client of node {}", peer.id(), uid, holder);
                peer.claimed(false);
                return;
            }
            cluster.hold(key); // before the peer can leave with it: its release then comes after
            if (!peer.claimed(true)) {
                cluster.release(key);
            }
        });
    }

    @Override
    public void release(GStreamerPeer peer, String uid) {
        cluster.release(Cluster.uidKey(uid));
    }

    @Override
    public CompletableFuture<Boolean> known(String uid) {
        return cluster.holderOfUid(uid).handle((holder, failure) -> failure == null && holder != null);
    }

    @Override
    public void call(GStreamerPeer caller, String callee) {
        cluster.holderOfUid(callee).whenComplete((holder, failure) -> {
            if (failure != null) {
                LOG.info("Peer {}: uid {} could not be looked up in the cluster ({})", caller.id(), callee,
                        failure.getMessage());
                caller.answered(Pairing.UNREACHABLE);
                return;
            }
            if (holder == null || holder.equals(cluster.nodeId())) {
                caller.answered(Pairing.NOT_FOUND); // also this node's own: its client left as we looked
                return;
            }
            long number = numbers.incrementAndGet();
            Session session = new Session(caller, holder, number, true, key(cluster.nodeId(), number));
            byPeer.put(caller, session);
            byKey.put(session.key, session);
            send(session, new GstSession(GstSession.CALL, number, true, callee, null));
            timer.schedule(() -> {
                if (!session.accepted && forget(session)) {
                    LOG.info("Peer {}: node {} did not answer the call to {} in {} ms", caller.id(), holder, callee,
                            ANSWER_TIMEOUT.toMillis());
                    caller.answered(Pairing.UNREACHABLE);
                    cluster.send(holder, new GstSession(GstSession.END, number, true, null, null));
                }
            }, ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void frame(GStreamerPeer from, String frame) {
        Session session = byPeer.get(from);
        if (session != null && session.accepted) {
            send(session, new GstSession(GstSession.FRAME, session.number, session.caller, null, frame));
        }
    }

    @Override
    public void hungUp(GStreamerPeer peer) {
        Session session = byPeer.get(peer);
        if (session != null && forget(session)) {
            cluster.send(session.node, new GstSession(GstSession.END, session.number, session.caller, null, null));
        }
    }

    /** Whether the session was still known; it is not any more. */
    private boolean forget(Session session) {
        byPeer.remove(session.peer, session);
        return byKey.remove(session.key, session);
    }

    /** To the other side's node; one that cannot be reached ends the session, as when the other side leaves. */
    private void send(Session session, GstSession message) {
        cluster.send(session.node, message).whenComplete((delivered, failure) -> {
            if ((failure != null || !delivered) && forget(session)) {
                LOG.info("Peer {}: node {} of its session is unreachable ({})", session.peer.id(), session.node,
                        failure != null ? failure.getMessage() : "not listening");
                ended(session);
            }
        });
    }

    /** The other side is gone: a call waiting for its answer finds nobody, a session ends. */
    private void ended(Session session) {
        if (session.accepted) {
            session.peer.partnerLeft();
        } else {
            session.peer.answered(Pairing.NOT_FOUND);
        }
    }

    /** On Redis's client thread. */
    private void received(String from, GstSession message) {
        String key = key(message.fromCaller() ? from : cluster.nodeId(), message.session());
        if (message.action() == GstSession.CALL) {
            called(from, message, key);
            return;
        }
        Session session = byKey.get(key);
        if (session == null || !session.node.equals(from)) {
            if (message.action() == GstSession.ACCEPTED) { // the caller left meanwhile
                cluster.send(from, new GstSession(GstSession.END, message.session(), true, null, null));
            }
            return;
        }
        switch (message.action()) {
            case GstSession.ACCEPTED -> {
                session.accepted = true;
                if (!session.peer.answered(Pairing.OK) && forget(session)) {
                    cluster.send(from, new GstSession(GstSession.END, message.session(), true, null, null));
                }
            }
            case GstSession.NOT_FOUND, GstSession.BUSY -> {
                if (forget(session)) {
                    session.peer.answered(message.action() == GstSession.BUSY ? Pairing.BUSY : Pairing.NOT_FOUND);
                }
            }
            case GstSession.FRAME -> {
                if (message.frame() != null) {
                    session.peer.fromPartner(message.frame());
                }
            }
            case GstSession.END -> {
                if (forget(session)) {
                    ended(session);
                }
            }
            default -> LOG.debug("Cluster: unknown GStreamer session action {} from {}", message.action(), from);
        }
    }

    /** A client of node {@code from} calls a uid of this node. */
    private void called(String from, GstSession call, String key) {
        GStreamerPeer callee = call.callee() == null ? null : registry.peer(call.callee());
        int answer = GstSession.NOT_FOUND;
        if (callee != null) {
            // known before it is accepted, so that a callee leaving at once ends the session it was put in
            Session session = new Session(callee, from, call.session(), false, key);
            if (byPeer.putIfAbsent(callee, session) != null) {
                answer = GstSession.BUSY; // in a session with a client of another node
            } else if (byKey.putIfAbsent(key, session) != null) {
                byPeer.remove(callee, session);
                return; // the same call twice: the first stands
            } else {
                Pairing pairing = registry.accept(callee);
                if (pairing == Pairing.OK) {
                    LOG.info("Session between a client of node {} (its call {}) and {} ({})", from, call.session(),
                            call.callee(), callee.id());
                    answer = GstSession.ACCEPTED;
                } else {
                    forget(session);
                    answer = pairing == Pairing.BUSY ? GstSession.BUSY : GstSession.NOT_FOUND;
                }
            }
        }
        cluster.send(from, new GstSession(answer, call.session(), false, null, null));
    }

    /** Sessions with clients of a node gone from the directory end, as when their other side leaves. */
    private void watch(Cluster.View view) {
        Set<String> live = new HashSet<>();
        view.nodes().forEach(node -> live.add(node.id()));
        for (Session session : byKey.values()) {
            if (!live.contains(session.node) && forget(session)) {
                LOG.info("Peer {}: node {} of its session is gone from the cluster", session.peer.id(), session.node);
                ended(session);
            }
        }
    }
}

package io.meshgate.signaling;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The GStreamer clients of one server by uid, and their 1-1 sessions: the state that is not a lobby. A session pairs
 * two connections that forward every frame to each other, so it needs no lobby; rooms are lobbies of the core.
 * Every state change of a {@link GStreamerPeer} happens here, under this object's lock. In a cluster, uids are
 * claimed across nodes and a session may pair clients of two nodes ({@link Elsewhere}).
 */
public final class GStreamerRegistry {

    /**
     * GStreamer clients of the other nodes of a cluster: a uid is one client's in the whole cluster, and a session
     * may have its other side on another node. Every method may be called from any thread and must not block.
     */
    public interface Elsewhere {

        /**
         * Claims {@code uid} in the cluster for {@code peer}, which holds it on this node already; answers with
         * {@link GStreamerPeer#claimed}, false if a client of another node holds it.
         */
        void claim(GStreamerPeer peer, String uid);

        /** {@code uid}, which {@code peer} held, is free again. */
        void release(GStreamerPeer peer, String uid);

        /**
         * Calls {@code callee}, whom no client of this node holds, on the node that holds it, for {@code caller}
         * (waiting in {@link GStreamerPeer.State#CALLING}); answers with {@link GStreamerPeer#answered}.
         */
        void call(GStreamerPeer caller, String callee);

        /** A frame of {@code from} for its session's other side, on another node. */
        void frame(GStreamerPeer from, String frame);

        /** {@code peer} left its session with a client of another node, or the call it was placing. */
        void hungUp(GStreamerPeer peer);

        /** Whether a client of any node holds {@code uid}; false if the cluster cannot be asked. */
        CompletableFuture<Boolean> known(String uid);
    }

    /** What a {@code SESSION} request came to. */
    public enum Pairing {
        OK, NOT_FOUND, BUSY, CALLER_BUSY,
        /** The callee is on another node, which could not be asked: the client may try again. */
        UNREACHABLE
    }

    private final Map<String, GStreamerPeer> byUid = new HashMap<>();
    private final Elsewhere elsewhere;

    /** A single node's. */
    public GStreamerRegistry() {
        this(null);
    }

    /** @param elsewhere the other nodes of the cluster; null on a single node */
    public GStreamerRegistry(Elsewhere elsewhere) {
        this.elsewhere = elsewhere;
    }

    /** The other nodes of the cluster; null on a single node. */
    Elsewhere elsewhere() {
        return elsewhere;
    }

    /**
     * Claims the uid for the peer on this node; false if another client of it holds it. In a cluster the peer then
     * waits ({@link GStreamerPeer.State#CLAIMING}) until the cluster's claim answers.
     */
    synchronized boolean register(GStreamerPeer peer, String uid) {
        if (byUid.putIfAbsent(uid, peer) != null) {
            return false;
        }
        peer.uid = uid;
        peer.state = elsewhere == null ? GStreamerPeer.State.IDLE : GStreamerPeer.State.CLAIMING;
        return true;
    }

    /** The cluster's claim of the peer's uid took: it is free to call and be called; false if it left meanwhile. */
    synchronized boolean confirm(GStreamerPeer peer) {
        if (peer.state != GStreamerPeer.State.CLAIMING) {
            return false;
        }
        peer.state = GStreamerPeer.State.IDLE;
        return true;
    }

    /** The peer of this node that holds {@code uid}, with its claim confirmed; null if none. */
    public synchronized GStreamerPeer peer(String uid) {
        GStreamerPeer peer = byUid.get(uid);
        return peer == null || peer.state == GStreamerPeer.State.CLAIMING ? null : peer;
    }

    /** Puts caller and callee in a session if both are free; a peer in a session or a room is busy. */
    synchronized Pairing pair(GStreamerPeer caller, String calleeUid) {
        if (caller.state != GStreamerPeer.State.IDLE) {
            return Pairing.CALLER_BUSY; // someone called it meanwhile: it is in a session now
        }
        GStreamerPeer callee = byUid.get(calleeUid);
        if (callee == null || callee.state == GStreamerPeer.State.CLAIMING) {
            return Pairing.NOT_FOUND;
        }
        if (callee == caller || callee.state != GStreamerPeer.State.IDLE) {
            return Pairing.BUSY;
        }
        caller.partner = callee;
        callee.partner = caller;
        caller.state = GStreamerPeer.State.SESSION;
        callee.state = GStreamerPeer.State.SESSION;
        return Pairing.OK;
    }

    /** The free caller calls a uid of another node: it waits for the answer; false if it was called meanwhile. */
    synchronized boolean calling(GStreamerPeer caller) {
        if (caller.state != GStreamerPeer.State.IDLE) {
            return false;
        }
        caller.state = GStreamerPeer.State.CALLING;
        return true;
    }

    /**
     * The callee's node answered the caller's call: with {@link Pairing#OK} the caller is in a session with it, else
     * free again. False if the caller stopped waiting meanwhile (it left), when an accepted call must be ended.
     */
    synchronized boolean answered(GStreamerPeer caller, Pairing pairing) {
        if (caller.state != GStreamerPeer.State.CALLING) {
            return false;
        }
        caller.state = pairing == Pairing.OK ? GStreamerPeer.State.SESSION : GStreamerPeer.State.IDLE;
        caller.remote = pairing == Pairing.OK;
        return true;
    }

    /** A client of another node calls {@code callee} of this node: in a session with it now if it was free. */
    public synchronized Pairing accept(GStreamerPeer callee) {
        if (callee.state == GStreamerPeer.State.CLAIMING || callee.state == GStreamerPeer.State.GONE
                || byUid.get(callee.uid) != callee) {
            return Pairing.NOT_FOUND;
        }
        if (callee.state != GStreamerPeer.State.IDLE) {
            return Pairing.BUSY;
        }
        callee.state = GStreamerPeer.State.SESSION;
        callee.remote = true;
        return Pairing.OK;
    }

    /** Marks the peer as in a room; false if it was called into a session meanwhile. */
    synchronized boolean enterRoom(GStreamerPeer peer) {
        if (peer.state != GStreamerPeer.State.IDLE) {
            return false;
        }
        peer.state = GStreamerPeer.State.ROOM;
        return true;
    }

    /**
     * The peer leaves the session it is in and is free again; returns the other side of this node, whose call has
     * ended (it is closing), or null if the peer was in no session or the other side is on another node (which is
     * told).
     */
    GStreamerPeer hangUp(GStreamerPeer peer) {
        boolean remote;
        GStreamerPeer partner;
        synchronized (this) {
            partner = peer.partner;
            remote = peer.state == GStreamerPeer.State.SESSION && peer.remote;
            if (remote) {
                peer.remote = false;
                peer.state = GStreamerPeer.State.IDLE;
            } else if (peer.state != GStreamerPeer.State.SESSION || partner == null) {
                return null;
            } else {
                peer.partner = null;
                partner.partner = null;
                peer.state = GStreamerPeer.State.IDLE;
                partner.state = GStreamerPeer.State.GONE;
            }
        }
        if (remote) {
            elsewhere.hungUp(peer);
            return null;
        }
        return partner;
    }

    /** The other side, on another node, left the peer's session: true if it was in one (it is closing now). */
    public synchronized boolean partnerLeft(GStreamerPeer peer) {
        if (peer.state != GStreamerPeer.State.SESSION || !peer.remote) {
            return false;
        }
        peer.remote = false;
        peer.state = GStreamerPeer.State.GONE;
        return true;
    }

    /** Frees the peer's uid; returns its session partner of this node, whose call has ended with it, or null. */
    GStreamerPeer remove(GStreamerPeer peer) {
        GStreamerPeer partner;
        boolean remote;
        boolean claimed;
        synchronized (this) {
            claimed = peer.uid != null && byUid.remove(peer.uid, peer);
            remote = peer.remote || peer.state == GStreamerPeer.State.CALLING;
            peer.remote = false;
            peer.state = GStreamerPeer.State.GONE;
            partner = peer.partner;
            if (partner != null) {
                peer.partner = null;
                partner.partner = null;
                partner.state = GStreamerPeer.State.GONE;
            }
        }
        if (elsewhere != null) {
            if (remote) {
                elsewhere.hungUp(peer);
            }
            if (claimed) {
                elsewhere.release(peer, peer.uid);
            }
        }
        return partner;
    }

    /** Whether a client holds the uid: on this node, or (in a cluster) on any. */
    CompletableFuture<Boolean> known(String uid) {
        synchronized (this) {
            if (byUid.containsKey(uid)) {
                return CompletableFuture.completedFuture(true);
            }
        }
        return elsewhere == null ? CompletableFuture.completedFuture(false) : elsewhere.known(uid);
    }
}

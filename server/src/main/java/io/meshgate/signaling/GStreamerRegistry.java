package io.meshgate.signaling;

import java.util.HashMap;
import java.util.Map;

/**
 * The GStreamer clients of one server by uid, and their 1-1 sessions: the state that is not a lobby. A session pairs
 * two connections that forward every frame to each other, so it needs no lobby; rooms are lobbies of the core.
 * Every state change of a {@link GStreamerPeer} happens here, under this object's lock.
 */
public final class GStreamerRegistry {

    /** What a {@code SESSION} request came to. */
    enum Pairing { OK, NOT_FOUND, BUSY, CALLER_BUSY }

    private final Map<String, GStreamerPeer> byUid = new HashMap<>();

    /** Claims the uid for the peer; false if another client holds it. */
    synchronized boolean register(GStreamerPeer peer, String uid) {
        if (byUid.putIfAbsent(uid, peer) != null) {
            return false;
        }
        peer.uid = uid;
        peer.state = GStreamerPeer.State.IDLE;
        return true;
    }

    synchronized boolean contains(String uid) {
        return byUid.containsKey(uid);
    }

    /** Puts caller and callee in a session if both are free; a peer in a session or a room is busy. */
    synchronized Pairing pair(GStreamerPeer caller, String calleeUid) {
        if (caller.state != GStreamerPeer.State.IDLE) {
            return Pairing.CALLER_BUSY; // someone called it meanwhile: it is in a session now
        }
        GStreamerPeer callee = byUid.get(calleeUid);
        if (callee == null) {
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

    /** Marks the peer as in a room; false if it was called into a session meanwhile. */
    synchronized boolean enterRoom(GStreamerPeer peer) {
        if (peer.state != GStreamerPeer.State.IDLE) {
            return false;
        }
        peer.state = GStreamerPeer.State.ROOM;
        return true;
    }

    /**
     * The peer leaves the session it is in and is free again; returns the other side, whose call has ended (it is
     * closing), or null if the peer was in no session.
     */
    synchronized GStreamerPeer hangUp(GStreamerPeer peer) {
        GStreamerPeer partner = peer.partner;
        if (peer.state != GStreamerPeer.State.SESSION || partner == null) {
            return null;
        }
        peer.partner = null;
        partner.partner = null;
        peer.state = GStreamerPeer.State.IDLE;
        partner.state = GStreamerPeer.State.GONE;
        return partner;
    }

    /** Frees the peer's uid; returns its session partner, whose call has ended with it, or null. */
    synchronized GStreamerPeer remove(GStreamerPeer peer) {
        if (peer.uid != null) {
            byUid.remove(peer.uid, peer);
        }
        peer.state = GStreamerPeer.State.GONE;
        GStreamerPeer partner = peer.partner;
        if (partner != null) {
            peer.partner = null;
            partner.partner = null;
            partner.state = GStreamerPeer.State.GONE;
        }
        return partner;
    }
}

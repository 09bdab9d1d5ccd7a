package io.meshgate.cluster;

import io.meshgate.wire.cluster.EnvelopeCodec;
import java.util.Collection;
import java.util.List;

/**
 * Where the cluster puts a player that needs a lobby it has not named: in a node's open quick-play lobby if one has a
 * free seat, else in a new lobby on the node with the most room, by its players and CPU (never by how many lobbies it
 * has: one lobby may hold 2 players or 200, and a game may cost little or much).
 */
final class Placement {

    /**
     * Another node takes a new lobby only when its load is lower than this node's by more than this (a tenth of a
     * node's capacity or CPU): a lobby elsewhere costs its local players a hop, which a near tie does not repay.
     */
    static final double MARGIN = 0.1;
    /** The first envelope format that has quick play: older nodes are never sent a player. */
    static final int QUICK_PLAY_FORMAT = 2;

    private Placement() {
    }

    /** A node's load, 0 (idle) to 1 (full): its share of players or of CPU, whichever is higher. */
    static double load(Cluster.Node node) {
        double players = node.capacity() > 0 ? (double) node.players() / node.capacity() : 0;
        return Math.max(players, node.cpu());
    }

    /** Whether a node may be sent a player now: it is live, reads quick play, and is not draining. */
    private static boolean takes(Cluster.Node node) {
        return !node.draining() && node.format() >= QUICK_PLAY_FORMAT && node.format() <= EnvelopeCodec.FORMAT + 1;
    }

    /**
     * The node a quick-play player of node {@code self} goes to: the least loaded of the {@code open} nodes (those
     * with a free seat of its kind) other than {@code self}, or if none, the least loaded of all unless {@code self}
     * is within {@link #MARGIN} of it. {@code nodes} is {@code self}'s view of the cluster.
     */
    static String quickPlay(List<Cluster.Node> nodes, String self, Collection<String> open) {
        Cluster.Node best = null;
        for (Cluster.Node node : nodes) {
            if (!node.id().equals(self) && open.contains(node.id()) && takes(node)
                    && (best == null || load(node) < load(best))) {
                best = node;
            }
        }
        return best != null ? best.id() : newLobby(nodes, self);
    }

    /** The node a new lobby of node {@code self}'s player goes to: as {@link #quickPlay} with no lobby open. */
    static String newLobby(List<Cluster.Node> nodes, String self) {
        return newLobby(nodes, self, false);
    }

    /**
     * The node a new lobby goes to, asked by node {@code self}, which takes it only if it is not {@code draining}
     * (then any other that takes players does, however loaded, and {@code self} only if none can).
     */
    static String newLobby(List<Cluster.Node> nodes, String self, boolean draining) {
        double own = draining ? Double.POSITIVE_INFINITY : 0;
        Cluster.Node best = null;
        for (Cluster.Node node : nodes) {
            if (node.id().equals(self)) {
                own = draining ? own : load(node);
            } else if (takes(node) && (best == null || load(node) < load(best))) {
                best = node;
            }
        }
        return best != null && load(best) + MARGIN < own ? best.id() : self;
    }
}

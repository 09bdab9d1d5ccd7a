package io.meshgate.lobby;

import java.util.concurrent.Executor;

/**
 * Lobbies owned by other nodes of a cluster, as this node's lobby core reaches them for a peer connected here: the
 * peer asks as it would ask a lobby of its own node, and hears back through {@link LobbyService}'s {@code remote*}
 * methods exactly what a member there would hear. Every method may be called from any thread and must not block.
 */
public interface Elsewhere {

    /**
     * Enters {@code peer} into the lobby named {@code lobby} on the node that owns it; if no node does (or none can be
     * asked), answers with {@link LobbyService#notFound}.
     */
    void join(Peer peer, String lobby);

    /**
     * Enters {@code peer} into the hostless lobby {@code key} (a name its client chose, see
     * {@link LobbyService#enterHostless}): on the node that has it, or, if none does, on this one, which the name is
     * then given to ({@link LobbyService#enterHostlessHere}); if the cluster cannot be asked, answers with
     * {@link LobbyService#unreachable}.
     */
    void enterHostless(Peer peer, String key);

    /**
     * Enters {@code peer} into the lobby whose join code is {@code code} (upper case) on the node that owns it; if no
     * node has it, answers with {@link LobbyService#noSuchCode}.
     */
    void joinByCode(Peer peer, String code);

    /**
     * Quick play for {@code peer}, which found no free seat on this node: enters it on a node that has an open
     * quick-play lobby of {@code kind} with a free seat, or else on the node with the most room for a new lobby; when
     * that is this node (or the cluster cannot be asked), answers with {@link LobbyService#quickPlayHere}.
     */
    void quickPlay(Peer peer, String kind, boolean mesh, boolean serverHosted, String game);

    /**
     * The serial executor that runs what the lobby elsewhere tells {@code member}, for work of its own that must run
     * in order with it (a relay player's stand-in); null if it is in no lobby elsewhere.
     */
    Executor executor(Peer member);

    /** This node's id in the cluster. */
    String node();

    /**
     * A new connection of a member of a lobby of node {@code node} shows the seat's resume {@code token}: it takes
     * the seat back there; {@code node} null: a key the client chose, whose node the directory says. If no node has
     * it, answers as an unknown token is answered.
     */
    void resume(Peer peer, String node, String token);

    /** A signaling payload from {@code from} for a member of its lobby elsewhere ({@code destination} 1: the host). */
    void forward(Peer from, Signal kind, int destination, String payload);

    /** A message from {@code from} for every other member of its lobby elsewhere ({@code ###!}'s room message). */
    void broadcast(Peer from, String payload);

    /** Game traffic from the relay player {@code from} for the game of its lobby elsewhere. */
    void packet(Peer from, byte[] packet);

    /** {@code peer} asks to seal its lobby elsewhere. */
    void seal(Peer peer);

    /** {@code peer}'s connection ended ({@link Peer#departure} says how): it leaves its lobby elsewhere. */
    void leave(Peer peer);
}

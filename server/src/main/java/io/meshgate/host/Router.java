package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.game.GameRunner;
import io.meshgate.game.JoinAttempt;
import io.meshgate.game.LeaveReason;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.ScenePacket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of SceneMultiplayer's peer 1 over the open links of one server-hosted lobby: clients of a client/server
 * lobby learn of each other through peer 1 (ADD_PEER, DEL_PEER), peer 1 fans a client's packet out to others on
 * request (SYS RELAY), game data goes to the game, and a client that keeps sending what no client sends is removed.
 *
 * <p>Every method runs on the lobby's serial executor.
 */
final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Malformed packets a client may send before it is removed; a few could be a client bug, many are an attack. */
    static final int MALFORMED_LIMIT = 100;

    private final String lobbyName;
    private final boolean mesh;
    private final GameRunner game;
    /** Removes a client from the lobby with a reason for its user. */
    private final BiConsumer<Integer, String> kick;
    /** Open links by lobby id, in the order they opened. */
    private final Map<Integer, Link> links = new LinkedHashMap<>();
    private final Map<Integer, Integer> malformed = new LinkedHashMap<>();

    Router(String lobbyName, boolean mesh, GameRunner game, BiConsumer<Integer, String> kick) {
        this.lobbyName = lobbyName;
        this.mesh = mesh;
        this.game = game;
        this.kick = kick;
    }

    /** The open link of client {@code id}, or null. */
    Link linkOf(int id) {
        return links.get(id);
    }

    /**
     * A client's link is open: in client/server lobbies it and the others learn of each other; then it plays, as
     * {@code who} says it is.
     */
    void open(JoinAttempt who, Link link) {
        int id = who.id();
        if (links.putIfAbsent(id, link) != null) {
            return;
        }
        if (!mesh) {
            // SceneMultiplayer's server relay (client/server only): each side learns of the other through peer 1.
            for (Map.Entry<Integer, Link> other : links.entrySet()) {
                if (other.getKey() != id) {
                    other.getValue().peerAdded(id);
                    link.peerAdded(other.getKey());
                }
            }
        }
        game.join(who, (delivery, data) -> send(id, delivery, data), reason -> kick.accept(id, reason));
    }

    /**
     * The open client {@code id} is reached through {@code link} from now on, in place: the game and the other clients
     * see no departure and no arrival. The old link is closed. False if the client has no open link to replace.
     */
    boolean replace(int id, Link link) {
        Link old = links.replace(id, link);
        if (old == null) {
            return false;
        }
        old.close();
        if (!mesh && link != AWAY) {
            // A new transport starts knowing nobody: it learns of the others as a new client would.
            for (int other : links.keySet()) {
                if (other != id) {
                    link.peerAdded(other);
                }
            }
        }
        return true;
    }

    /**
     * Client {@code id} cannot be reached for now (its WebRTC connection ended; it may make a new one): what is sent
     * to it is dropped rather than queued on a dead connection, until {@link #replace} gives it a new link. The game
     * and the other clients see nothing.
     */
    boolean away(int id) {
        return replace(id, AWAY);
    }

    /** A link to nowhere, for a client that is away: it drops everything. */
    private static final Link AWAY = new Link() {
        @Override
        public void send(Delivery delivery, byte[] data) {
        }

        @Override
        public void peerAdded(int id) {
        }

        @Override
        public void peerRemoved(int id) {
        }

        @Override
        public void fannedOut(FanOut packet) {
        }

        @Override
        public void close() {
        }
    };

    /** The client left, or its link failed: the game and the other clients see it go, the game with why. */
    void close(int id, LeaveReason reason) {
        Link link = links.remove(id);
        malformed.remove(id);
        if (link == null) {
            return;
        }
        link.close();
        game.leave(id, reason);
        if (!mesh) {
            for (Link other : links.values()) {
                other.peerRemoved(id);
            }
        }
    }

    /** Closes every link: the lobby is gone. */
    void closeAll() {
        for (Link link : new ArrayList<>(links.values())) {
            link.close();
        }
        links.clear();
    }

    private void send(int id, Delivery delivery, byte[] data) {
        Link link = links.get(id);
        if (link != null) {
            link.send(delivery, data);
        }
    }

    /** Game data from a client, for the game. */
    void data(int id, Delivery delivery, byte[] data) {
        if (links.containsKey(id)) {
            game.packet(id, delivery, data);
        }
    }

    /** A Godot 4 client's SceneMultiplayer packet, as its transport delivered it. */
    void received(int id, Delivery delivery, byte[] packet) {
        if (!links.containsKey(id)) {
            return;
        }
        ScenePacket scene;
        try {
            scene = ScenePacket.decode(packet);
        } catch (MalformedMessageException e) {
            malformed(id, e.getMessage());
            return;
        }
        switch (scene.kind()) {
            case RAW -> game.packet(id, delivery, scene.payload());
            case FAN_OUT -> fanOut(id, delivery, scene.peer(), scene.payload());
            case AUTH, OTHER -> LOG.debug("Lobby {}: ignoring {} from peer {}", lobbyName, scene, id);
            case ADD_PEER, DEL_PEER -> malformed(id, scene.kind() + ", which only peer 1 sends");
        }
    }

    /**
     * A client asks peer 1 to deliver {@code packet} (a SceneMultiplayer packet) to {@code target}: a client id, 0 for
     * every other client, or -n for all but n. As Godot's peer 1 does, it also processes a packet sent to all (0 or
     * -1) itself.
     */
    void fanOut(int id, Delivery delivery, int target, byte[] packet) {
        if (!links.containsKey(id)) {
            return;
        }
        if (mesh) {
            malformed(id, "a fan-out request in a mesh lobby, where clients reach each other directly");
            return;
        }
        FanOut fanOut = new FanOut(id, delivery, packet);
        if (target > 1) {
            Link to = links.get(target);
            if (to != null && target != id) {
                to.fannedOut(fanOut);
            }
            return;
        }
        for (Map.Entry<Integer, Link> to : links.entrySet()) {
            int other = to.getKey();
            if (other != id && (target >= 0 || other != -target)) {
                to.getValue().fannedOut(fanOut);
            }
        }
        if (target == 0 || target == -1) {
            // As Godot's peer 1 does, it reads a packet sent to all itself; only that reading can find it malformed.
            try {
                ScenePacket inner = ScenePacket.decode(packet);
                if (inner.kind() == ScenePacket.Kind.RAW) {
                    game.packet(id, delivery, inner.payload());
                }
            } catch (MalformedMessageException e) {
                malformed(id, "fan-out of " + e.getMessage());
            }
        }
    }

    /** A client sent something no client sends; past {@link #MALFORMED_LIMIT} it is removed. */
    void malformed(int id, String why) {
        int count = malformed.merge(id, 1, Integer::sum);
        LOG.debug("Lobby {}: malformed packet from peer {}: {}", lobbyName, id, why);
        if (count == MALFORMED_LIMIT) {
            kick.accept(id, "Too many malformed packets");
        }
    }

    /** The ids of the open links, in the order they opened; for tests. */
    List<Integer> openIds() {
        return new ArrayList<>(links.keySet());
    }
}

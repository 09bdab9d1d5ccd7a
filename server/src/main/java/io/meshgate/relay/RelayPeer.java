package io.meshgate.relay;

import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.host.Link;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client playing a server-hosted lobby through the server instead of over WebRTC, on {@code /relay/...<lobby>}:
 * {@code <lobby>} is a lobby name, or {@code *} for quick play, and the lobby must be server-hosted and
 * client/server. It is both the client's lobby member and its {@link Link} to the host. Subclasses are the engine
 * versions' WebSocket multiplayer: they greet the client the way that engine's WebSocket server would and write and
 * read its frames.
 *
 * <p>The {@link Link} methods run on the lobby's executor; the frame methods on Jetty's thread for this connection.
 */
public abstract class RelayPeer extends SocketPeer implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPeer.class);
    static final CloseStatus NOT_SERVER_HOSTED = CloseStatus.of(Reason.UNSUITABLE_LOBBY);

    private final Hosts hosts;
    private final String lobby;
    /**
     * Set once the client has been sent its id; frames that arrive before that are dropped, as nothing can be
     * addressed yet. (A frame a client sent before it read its id, arriving after, is delivered.)
     */
    protected volatile HostPeer host;
    /** The id the client has in its lobby; written before {@link #host} is published. */
    protected volatile int lobbyId;
    /** The host told to expect this client over the relay, so that it makes no WebRTC offer to it. */
    private HostPeer expecting;

    /** The game quick play looks for ({@code ?game=}), or null for the server's default. */
    private final String game;

    /** The token the client chose to resume this connection's seat with ({@code ?resume_key=}), or null. */
    private volatile String resumeKey;
    /** The token of the seat this connection takes back ({@code ?resume=}), or null for a join. */
    private volatile String resuming;

    protected RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, String path, String lobby,
                        String game) {
        super(lobbies, connections, path, path + lobby);
        this.hosts = hosts;
        this.lobby = lobby;
        this.game = game;
    }

    /**
     * The client's resume tokens, from its URL, before the socket opens. A relay client cannot be told a token (its
     * engine's WebSocket multiplayer reads nothing but its id before game traffic), so it makes its own: {@code key}
     * resumes the seat this connection gets, {@code previous} (or null) is the key of the seat it takes back.
     */
    public final void resumeWith(String key, String previous) {
        this.resumeKey = key;
        this.resuming = previous;
    }

    /** Sends the client what its engine's WebSocket server sends on connect, before any game traffic. */
    protected abstract void greet(int id);

    @Override
    protected void opened() {
        if (resuming != null) {
            lobbies.resume(this, resuming); // the token names the lobby, whatever the path says
        } else if (lobby.equals("*")) {
            lobbies.quickPlay(this, false, true, game);
        } else if (lobby.matches("[A-Za-z0-9]{1,64}")) {
            // Before the join, on the same lobby executor: a host that offers first (Godot 3) must not offer to us.
            expecting = hosts.find(lobby);
            if (expecting != null) {
                expecting.expectRelay(id());
            }
            lobbies.join(this, lobby);
        } else {
            close(CloseStatus.of(Reason.LOBBY_NOT_FOUND));
        }
    }

    @Override
    protected void disconnected() {
        if (expecting != null) {
            expecting.forgetRelay(id());
        }
    }

    @Override
    protected void text(String message) {
        close(CloseStatus.BINARY_ONLY);
    }

    /** Mesh members connect to each other directly, which a relay player cannot; and only the server relays. */
    @Override
    protected boolean suits(boolean mesh, boolean serverHosted) {
        return !mesh && serverHosted;
    }

    /** A client that chose a resume key can take its seat back after a dropped connection. */
    @Override
    protected boolean resumable() {
        return resumeKey != null;
    }

    @Override
    protected String chosenResumeToken() {
        return resumeKey;
    }

    @Override
    protected String transport(boolean serverHostedLobby) {
        return "relay";
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        lobbyId = id;
    }

    @Override
    protected void joined(String lobbyName) {
        HostPeer found = hosts.find(lobbyName);
        if (found == null) {
            close(NOT_SERVER_HOSTED);
            return;
        }
        greet(lobbyId);
        host = found;
        found.attach(lobbyId, this);
        LOG.info("Peer {} plays lobby {} through the relay ({})", id(), lobbyName, getClass().getSimpleName());
    }

    @Override
    protected void peerConnected(int id) {
        // the host announces players with the engine's own peer notices (Link.peerAdded)
    }

    @Override
    protected void peerDisconnected(int id) {
        // and their departures likewise (Link.peerRemoved)
    }

    @Override
    protected void sealed() {
        // nothing to tell a relay player
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        // no WebRTC signaling reaches a relay player
    }

    @Override
    public void close() {
        // the WebSocket is the client's membership: it closes with the membership, not with the link
    }
}

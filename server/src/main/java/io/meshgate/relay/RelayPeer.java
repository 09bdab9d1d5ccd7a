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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client playing a lobby through the server instead of over WebRTC, on {@code /relay/...<lobby>}: {@code <lobby>}
 * is a lobby name, or {@code *} for quick play. In a server-hosted client/server lobby it is both the client's lobby
 * member and its {@link Link} to the host; in a peer-hosted lobby (Godot 4) a {@link StandIn} connects to the members
 * over WebRTC in its name. Subclasses are the engine versions' WebSocket multiplayer: they greet the client the way
 * that engine's WebSocket server would and write and read its frames.
 *
 * <p>The {@link Link} methods run on the lobby's executor; the frame methods on Jetty's thread for this connection.
 */
public abstract class RelayPeer extends SocketPeer implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPeer.class);
    static final CloseStatus NOT_SERVER_HOSTED = CloseStatus.of(Reason.UNSUITABLE_LOBBY);

    private final Hosts hosts;
    /** Null where relay players play server-hosted lobbies only. */
    final StandIns standIns;
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
    /** Whether its lobby is a mesh; written on the lobby's executor before {@link #joined}. */
    private boolean mesh;
    /** Members announced before the join completed, for a stand-in to connect to; on the lobby's executor. */
    private final List<Integer> announced = new ArrayList<>();
    /** Its WebRTC side in a peer-hosted lobby, and the executor it runs on; published once, by {@link #joined}. */
    private volatile StandIn standIn;
    private volatile Executor standInExecutor;

    /** The token the client chose to resume this connection's seat with ({@code ?resume_key=}), or null. */
    private volatile String resumeKey;
    /** The token of the seat this connection takes back ({@code ?resume=}), or null for a join. */
    private volatile String resuming;

    protected RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, StandIns standIns, String path,
                        String lobby, String game) {
        super(lobbies, connections, path, path + lobby);
        this.hosts = hosts;
        this.standIns = standIns;
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
        StandIn current = standIn;
        if (current != null) {
            standInExecutor.execute(current::close);
        }
    }

    /** Hands a packet from the client to its stand-in, if it has one (a peer-hosted lobby); Jetty's thread. */
    protected final void toStandIn(byte[] packet) {
        StandIn current = standIn;
        if (current != null) {
            standInExecutor.execute(() -> current.fromPlayer(packet));
        }
    }

    /** Whether this engine's relay players may play peer-hosted lobbies through a {@link StandIn}. */
    @Override
    public boolean standsIn() {
        return false;
    }

    /** Ends the client's connection, and with it its membership; for its stand-in. */
    final void leave(CloseStatus status) {
        close(status);
    }

    @Override
    protected void text(String message) {
        close(CloseStatus.BINARY_ONLY);
    }

    /**
     * Server-hosted lobbies only when client/server (a server-hosted mesh's members connect to each other, which the
     * server does not stand in for); peer-hosted ones, of either kind, where a {@link StandIn} may connect for it.
     */
    @Override
    protected boolean suits(boolean mesh, boolean serverHosted) {
        return serverHosted ? !mesh : standsIn();
    }

    /**
     * A client that chose a resume key can take its seat back after a dropped connection; not yet in a peer-hosted
     * lobby, whose members would keep a connection to a stand-in that is gone.
     */
    @Override
    protected boolean resumable() {
        return resumeKey != null && standIn == null;
    }

    @Override
    public String chosenResumeToken() {
        return resumeKey;
    }

    @Override
    protected String transport(boolean serverHostedLobby) {
        return "relay";
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        lobbyId = id;
        this.mesh = mesh;
    }

    @Override
    public boolean playsThroughRelay() {
        return true;
    }

    /**
     * Whether the lobby it joined is server-hosted on another node, whose game's node then announces the players to
     * it; written before {@link #joined(String)}.
     */
    private volatile boolean hostedElsewhere;

    @Override
    protected void joined(String lobbyName, String code, boolean serverHosted, String resume) {
        hostedElsewhere = serverHosted && inLobbyElsewhere();
        joined(lobbyName);
    }

    @Override
    protected void joined(String lobbyName) {
        HostPeer found = hosts.find(lobbyName);
        if (found == null && hostedElsewhere) {
            // its lobby's game runs on another node, which carries its traffic there (see Peer#hostPacket)
            announced.clear();
            greet(lobbyId);
            LOG.info("Peer {} plays lobby {} of another node through the relay", id(), lobbyName);
            return;
        }
        if (found == null && standsIn() && standIn == null) {
            // Peer-hosted: the server connects to the members in the player's name; the player is greeted once the
            // host is reached.
            standInExecutor = lobbies.lobbyExecutor(this);
            StandIn made = new StandIn((Godot4RelayPeer) this, lobbies, standIns, standInExecutor, lobbyName, lobbyId,
                    mesh);
            standIn = made;
            announced.forEach(made::peerConnected);
            announced.clear();
            LOG.info("Peer {} plays peer-hosted lobby {} through the relay; the server stands in for it over WebRTC",
                    id(), lobbyName);
            return;
        }
        announced.clear(); // the server's host announces players itself (Link.peerAdded)
        if (found == null) {
            close(NOT_SERVER_HOSTED);
            return;
        }
        greet(lobbyId);
        host = found;
        found.attach(lobbyId, this);
        LOG.info("Peer {} plays lobby {} through the relay ({})", id(), lobbyName, getClass().getSimpleName());
    }

    /** In a server-hosted lobby the host announces players with the engine's own peer notices (Link.peerAdded). */
    @Override
    protected void peerConnected(int id) {
        StandIn current = standIn;
        if (current != null) {
            current.peerConnected(id);
        } else if (host == null && !hostedElsewhere) {
            announced.add(id); // the join is under way: a stand-in, if this lobby needs one, connects to it
        }
    }

    @Override
    protected void peerDisconnected(int id) {
        StandIn current = standIn;
        if (current != null) {
            current.peerDisconnected(id);
        } else {
            announced.remove(Integer.valueOf(id));
        }
    }

    @Override
    protected void sealed() {
        // nothing to tell a relay player
    }

    /**
     * A sealed peer-hosted lobby lets its members go and they play on over their WebRTC connections: so does a relay
     * player, over the server's connections made for it, until its socket closes. Any other end closes it.
     */
    @Override
    protected void ended(Reason reason) {
        if (reason == Reason.SEAL_COMPLETE && standIn != null) {
            LOG.info("Peer {}: its lobby was sealed; it plays on through the relay", id());
            return;
        }
        super.ended(reason);
    }

    /** WebRTC signaling reaches a relay player only in a peer-hosted lobby, where its stand-in answers it. */
    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        StandIn current = standIn;
        if (current != null) {
            current.forwarded(kind, from, payload);
        }
    }

    @Override
    public void close() {
        // the WebSocket is the client's membership: it closes with the membership, not with the link
    }
}

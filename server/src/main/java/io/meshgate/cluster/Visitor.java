package io.meshgate.cluster;

import io.meshgate.game.Delivery;
import io.meshgate.host.Godot4Link;
import io.meshgate.host.HostPeer;
import io.meshgate.lobby.Departure;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.wire.cluster.MemberEvent;
import io.meshgate.wire.cluster.Relay;

/**
 * A member of a lobby of this node whose client is connected to another node: the lobby treats it as any member,
 * and whatever the lobby tells it goes to the client's node as an envelope. Its events are sent from the lobby's
 * executor, one at a time and in order, as the lobby makes them. In a server-hosted lobby a relay player's stand-in is
 * also its link to the game: the game's packets go to the client's node, and the client's come from there (in a
 * peer-hosted one, the client's node stands in for it over WebRTC, and this is a member like any other).
 */
final class Visitor extends Peer implements Godot4Link {

    private final RemoteLobbies remote;
    /** {@code <node id>/<peer id>}: the member as its own node knows it. */
    final String member;
    final String home;
    private final String address;
    private final boolean relay;
    /** A relay player whose node stands in for it over WebRTC in a peer-hosted lobby. */
    private final boolean standIn;
    private final Dialect dialect;
    /** The name the other members know it by, or null: its id. */
    private final String label;
    /** The resume key a relay player chose for its seat, or null. */
    private final String key;
    /** Set once it joined: a refusal from then on answers a request of a member, which stays one. */
    private volatile boolean inLobby;
    /** Whether the lobby it asked to join is peer-hosted, as {@link #suits} was told; before it joins. */
    private volatile boolean peerHostedLobby;
    /** A relay player's game, once it joined; its id there is written before. */
    private volatile HostPeer host;
    private volatile int lobbyId;
    /** The host told to expect this relay player before its join, to be told when it is gone. */
    private volatile HostPeer expecting;

    Visitor(RemoteLobbies remote, String member, String home, String address, boolean relay, boolean standIn,
            Dialect dialect, String label, String key) {
        this.remote = remote;
        this.member = member;
        this.home = home;
        this.address = address;
        this.relay = relay;
        this.standIn = standIn;
        this.dialect = dialect;
        this.label = label;
        this.key = key;
    }

    @Override
    public String label() {
        return label != null ? label : super.label();
    }

    /** The member's client's dialect: a lobby of another refuses it as on the client's own node. */
    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public boolean playsThroughRelay() {
        return relay;
    }

    /**
     * A member of another node may take its seat back after a dropped connection, through any node: its node tells
     * this one the connection dropped. A Godot 4 client's token names this node; a relay player's key (which it
     * chose, as on one node) is found in the directory. A relay player in a peer-hosted lobby cannot, as on one node.
     */
    @Override
    protected boolean resumable() {
        return relay ? key != null && !peerHostedLobby : dialect == Dialect.GODOT4;
    }

    @Override
    public String chosenResumeToken() {
        return key;
    }

    /** A relay player joins {@code host}'s lobby: the host must not offer it WebRTC. Before its join. */
    void expectedBy(HostPeer host) {
        if (host != null) {
            expecting = host;
            host.expectRelay(id());
        }
    }

    /** The membership is over: a host that expected it forgets it. */
    void gone() {
        HostPeer expected = expecting;
        if (expected != null) {
            expected.forgetRelay(id());
        }
    }

    /** A relay player's packet from its node, for its game; Redis's client thread. */
    void fromPlayer(byte[] packet) {
        HostPeer current = host;
        if (current != null) {
            current.received(this, lobbyId, packet);
        }
    }

    /**
     * A relay player plays server-hosted client/server lobbies, and peer-hosted ones if its node stands in for it
     * over WebRTC: as a relay player of this node does.
     */
    @Override
    protected boolean suits(boolean mesh, boolean serverHosted) {
        peerHostedLobby = !serverHosted;
        return !relay || (serverHosted ? !mesh : standIn);
    }

    @Override
    protected String transport(boolean serverHostedLobby) {
        return relay ? "relay" : super.transport(serverHostedLobby);
    }

    /** On the lobby's executor: the game's packet for a relay player, to its node. */
    @Override
    public void write(Delivery delivery, byte[] packet) {
        remote.sendHome(this, Relay.packet(lobbyName(), member, delivery.ordinal(), packet));
    }

    @Override
    public void close() {
        // the link ends with the membership, which its node ends
    }

    private void tell(int event, int id, boolean flag, String text, String detail, String extra) {
        remote.sendHome(this, new MemberEvent(member, event, id, flag, text, detail, extra));
    }

    @Override
    protected String origin() {
        return address;
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        lobbyId = id;
        tell(MemberEvent.ASSIGNED, id, mesh, null, null, null);
    }

    @Override
    protected void peerConnected(int id) {
        peerConnected(id, Integer.toString(id));
    }

    @Override
    protected void peerConnected(int id, String label) {
        tell(MemberEvent.PEER_CONNECTED, id, false, label, null, null);
    }

    @Override
    protected void peerDisconnected(int id) {
        peerDisconnected(id, Departure.LEFT);
    }

    @Override
    protected void peerDisconnected(int id, Departure how) {
        tell(MemberEvent.PEER_DISCONNECTED, id, false, how.name(), null, null);
    }

    @Override
    protected void joined(String lobbyName) {
        joined(lobbyName, null, false, null);
    }

    @Override
    protected void joined(String lobbyName, String code, boolean serverHosted, String resume) {
        inLobby = true;
        tell(MemberEvent.JOINED, 0, serverHosted, lobbyName, code, resume);
        HostPeer found = relay ? remote.host(lobbyName) : null;
        if (found != null) { // its node greets it on JOINED; the game's packets follow
            host = found;
            found.attach(lobbyId, this);
        }
    }

    @Override
    protected void sealed() {
        tell(MemberEvent.SEALED, 0, false, null, null, null);
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        remote.sendHome(this, new Relay(lobbyName(), member, RemoteLobbies.kindNumber(kind), from, payload));
    }

    @Override
    protected void refused(Reason reason) {
        refused(reason, null);
    }

    /**
     * A refused join ends here: a plain leave, no seat held. A refused request of a member is only told: its client's
     * node decides, as its dialect does on one node (a Godot client is closed, and its leaving comes back here).
     */
    @Override
    protected void refused(Reason reason, String text) {
        boolean stays = inLobby;
        tell(MemberEvent.REFUSED, 0, stays, reason.name(), text, null);
        if (!stays) {
            departed(Departure.LEFT);
            remote.forget(this);
        }
    }

    @Override
    protected void ended(Reason reason) {
        ended(reason, null);
    }

    @Override
    protected void ended(Reason reason, String text) {
        tell(MemberEvent.ENDED, 0, false, reason.name(), text, null);
        departed(Departure.LEFT);
        remote.forget(this);
    }

    @Override
    protected void kicked(String message) {
        departed(Departure.KICKED);
        tell(MemberEvent.KICKED, 0, false, message, null, null);
        remote.forget(this);
    }
}

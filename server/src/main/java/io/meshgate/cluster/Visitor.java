package io.meshgate.cluster;

import io.meshgate.lobby.Departure;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.wire.cluster.MemberEvent;
import io.meshgate.wire.cluster.Relay;

/**
 * A member of a lobby of this node whose client is connected to another node: the lobby treats it as any member,
 * and whatever the lobby tells it goes to the client's node as an envelope. Its events are sent from the lobby's
 * executor, one at a time and in order, as the lobby makes them.
 */
final class Visitor extends Peer {

    private final RemoteLobbies remote;
    /** {@code <node id>/<peer id>}: the member as its own node knows it. */
    final String member;
    final String home;
    private final String address;

    Visitor(RemoteLobbies remote, String member, String home, String address) {
        this.remote = remote;
        this.member = member;
        this.home = home;
        this.address = address;
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
        tell(MemberEvent.JOINED, 0, serverHosted, lobbyName, code, resume);
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

    @Override
    protected void refused(Reason reason, String text) {
        tell(MemberEvent.REFUSED, 0, false, reason.name(), text, null);
        remote.forget(this);
    }

    @Override
    protected void ended(Reason reason) {
        ended(reason, null);
    }

    @Override
    protected void ended(Reason reason, String text) {
        tell(MemberEvent.ENDED, 0, false, reason.name(), text, null);
        remote.forget(this);
    }

    @Override
    protected void kicked(String message) {
        departed(Departure.KICKED);
        tell(MemberEvent.KICKED, 0, false, message, null, null);
        remote.forget(this);
    }
}

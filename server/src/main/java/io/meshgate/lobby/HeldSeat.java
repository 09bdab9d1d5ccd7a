package io.meshgate.lobby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * Stands in a lobby for a member whose connection dropped, for the resume window: same id, nothing announced, and
 * what the lobby sends it kept (bounded) for the connection that resumes the seat. Lives on the lobby's executor.
 */
final class HeldSeat extends Peer {

    /** What a held seat keeps for its player; past it the seat is given up, as if the window had ended. */
    static final int MAX_KEPT = 256;
    static final int MAX_KEPT_CHARS = 256 * 1024;

    /** The connection that dropped: its id in the server's registry is the seat's until the seat ends. */
    final Peer dropped;
    private final Lobby lobby;
    private final List<Consumer<Peer>> kept = new ArrayList<>();
    private int keptChars;
    private boolean overflowed;
    /** The end of the window; cancelled when the seat is resumed. */
    ScheduledFuture<?> expiry;
    private boolean over;

    /**
     * The seat stops being held (resumed, given up, or its lobby closed): its timer stops; true the first time only,
     * so that what a seat's end frees is freed once.
     */
    boolean end() {
        if (over) {
            return false;
        }
        over = true;
        expiry.cancel(false);
        return true;
    }

    HeldSeat(Peer dropped, Lobby lobby) {
        this.dropped = dropped;
        this.lobby = lobby;
        assignId(dropped.id());
        describe(dropped.playerName(), dropped.playerMetadata());
    }

    /** Hands what the seat kept to the connection that resumed it, in order. */
    void replay(Peer resumer) {
        for (Consumer<Peer> message : kept) {
            message.accept(resumer);
        }
        kept.clear();
    }

    private void keep(int chars, Consumer<Peer> message) {
        if (overflowed) {
            return;
        }
        keptChars += chars;
        if (kept.size() >= MAX_KEPT || keptChars > MAX_KEPT_CHARS) {
            overflowed = true;
            kept.clear();
            lobby.executor.execute(() -> lobby.expire(this, "its player missed too much"));
            return;
        }
        kept.add(message);
    }

    @Override
    public Dialect dialect() {
        return dropped.dialect();
    }

    @Override
    protected String origin() {
        return dropped.origin();
    }

    @Override
    public String label() {
        return dropped.label();
    }

    @Override
    protected String transport(boolean serverHostedLobby) {
        return "held";
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        // a seat is never assigned: it takes over a member's place
    }

    @Override
    protected void peerConnected(int id) {
        keep(16, peer -> peer.peerConnected(id));
    }

    @Override
    protected void peerConnected(int id, String label) {
        keep(16 + label.length(), peer -> peer.peerConnected(id, label));
    }

    @Override
    protected void peerDisconnected(int id) {
        keep(16, peer -> peer.peerDisconnected(id));
    }

    @Override
    protected void peerDisconnected(int id, Departure how) {
        keep(16, peer -> peer.peerDisconnected(id, how));
    }

    @Override
    protected void joined(String lobbyName) {
        // a seat joins nothing
    }

    @Override
    protected void sealed() {
        keep(16, Peer::sealed);
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        keep(16 + payload.length(), peer -> peer.forwarded(kind, from, payload));
    }

    @Override
    protected void refused(Reason reason) {
        // a seat asks for nothing
    }

    /** The lobby ended while the seat was held: nobody to tell. */
    @Override
    protected void ended(Reason reason) {
        lobby.seatEnded(this);
    }

    @Override
    protected void ended(Reason reason, String text) {
        lobby.seatEnded(this);
    }

    /** The host removed the player while it was away: its seat ends, as a kicked member's would. */
    @Override
    protected void kicked(String message) {
        departed(Departure.KICKED);
        lobby.executor.execute(() -> lobby.expire(this, "removed by the host"));
    }
}

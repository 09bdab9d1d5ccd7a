package io.meshgate.lobby;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lobby: its members, host, mode and seal state. Every method runs on the lobby's own serial executor, which is
 * the only writer of this state, so nothing here is locked.
 */
final class Lobby {

    private static final Logger LOG = LoggerFactory.getLogger(Lobby.class);

    /** The id every member sees for the host, whatever the host's server-wide id. */
    static final int HOST_ID = 1;
    /** How many departed ids a lobby remembers to tell a late message from a lie. */
    private static final int DEPARTED_MEMORY = 1024;

    private final String name;
    private final boolean mesh;
    /**
     * Peer 1; null in a hostless lobby (a GStreamer room), where every member keeps its server id, and in a lobby
     * waiting for its {@link #firstComerHosts first comer}.
     */
    private Peer host;
    /** Who created the lobby and may seal it: the host itself, or in a server-hosted lobby its first client. */
    private Peer owner;
    /**
     * A peer-hosted lobby the matchmaker opened: the first matched player to join becomes its host and owner. Set
     * before the lobby is shared.
     */
    boolean firstComerHosts;
    /** Listed in the service's {@link LobbyService.Directory} (hostless rooms are not): unlisted there as it closes. */
    volatile boolean inDirectory;
    /** Its place in public listings (see {@code LobbyService.nextListingKey}); 0 if it was never public. */
    volatile long listingKey;
    private final boolean serverHosted;
    /** The signaling dialect of the owner; only peers of the same dialect may join (see {@link Peer#dialect}). */
    final Dialect dialect;
    /** The creator's address, whose per-address lobby count this lobby holds; null if it has none. */
    final String origin;
    private final LobbyService service;
    final SerialExecutor executor;
    /** Unique for the life of the process: what the admin page names a lobby by. */
    final long number;
    private final long createdAtMillis = System.currentTimeMillis();

    /** Members by the id they have in this lobby (the host under 1), in join order. */
    private final Map<Integer, Peer> members = new LinkedHashMap<>();
    /** Ids that left, oldest first: messages to them are late, not lies. */
    private final Set<Integer> departed = new LinkedHashSet<>();
    /** Volatile with {@link #clients}: listings read them on other threads. */
    private volatile boolean sealed;
    /** Its members that are clients (the server's own peer 1 is not one); written on the executor. */
    private volatile int clients;
    /**
     * The seat tokens of the players the matchmaker placed here that have not come yet; null for any other lobby.
     * While set, only a peer with one of them may join. Written on the executor (and before the lobby is shared).
     */
    Set<String> reserved;
    /** During the hold, who took each seat of {@link #reserved}: a second join showing one replaces its taker. */
    private final Map<String, Peer> seatTakers = new HashMap<>();
    /**
     * Seats the matchmaker holds in this open quick-play lobby for players it sent here: each counts against the
     * capacity until a join shows its token or the hold ends. Unlike {@link #reserved}, anyone may still take the
     * seats that are left. Written on the executor.
     */
    private final Set<String> held = new HashSet<>();
    /** Resume tokens of the members that have one (resumable dialects), both ways; on the executor. */
    private final Map<String, Integer> resumeTokens = new HashMap<>();
    private final Map<Integer, String> tokenOf = new HashMap<>();
    /** Who can find it: fixed before it is shared. */
    Visibility visibility = Visibility.UNLISTED;
    /** Its join code when {@link Visibility#PRIVATE}: set just after it is listed by name, before its creator joins. */
    volatile String code;
    private volatile boolean closed;
    private ScheduledFuture<?> sealTimer;
    /** With an idle timeout: when the lobby last saw a join, leave, seal or message, and the check that reads it. */
    private long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> idleCheck;
    /** Set when the lobby was made by quick play: its kind in the quick-play pool; written before it is shared. */
    volatile String quickPlayKind;

    /** The game a server-hosted lobby runs (a name the server offers); null for any other. */
    final String game;
    /** The most members it holds, the server's peer 1 included. */
    private final int capacity;

    /** {@code owner} is null for a lobby the matchmaker made: then {@code dialect} is its clients'. */
    Lobby(String name, boolean mesh, Peer host, Peer owner, LobbyService service, SerialExecutor executor, String game,
          int capacity, Dialect dialect) {
        this.game = game;
        this.capacity = capacity;
        this.name = name;
        this.mesh = mesh;
        this.host = host;
        this.owner = owner;
        this.serverHosted = host != null && host != owner;
        this.dialect = owner == null ? dialect : owner.dialect();
        this.origin = owner == null ? null : owner.origin();
        this.service = service;
        this.executor = executor;
        this.number = service.nextLobbyNumber();
    }

    String name() {
        return name;
    }

    boolean mesh() {
        return mesh;
    }

    boolean serverHosted() {
        return serverHosted;
    }

    /** A lobby without a host (GStreamer's rooms), entered by a name the client chose. */
    boolean hostless() {
        return host == null && !firstComerHosts;
    }

    /** {@code server}, {@code peer} or {@code hostless}: the hosting label of statistics and the admin page. */
    String hosting() {
        return hostless() ? "hostless" : serverHosted ? "server" : "peer";
    }

    private int idOf(Peer peer) {
        return peer == host ? HOST_ID : peer.id();
    }

    private boolean isMember(Peer peer) {
        return !closed && members.get(idOf(peer)) == peer;
    }

    /** In a client/server lobby only host and client know each other: Godot's create_client() accepts no other peer. */
    private boolean visible(Peer a, Peer b) {
        return mesh || a == host || b == host;
    }

    void join(Peer peer) {
        if (peer.gone) {
            // Disconnected while its JOIN was on the way here; a lobby it was creating has nobody to host it.
            if (peer == owner && host != null) {
                close(Reason.HOST_DISCONNECTED, "creator left before joining");
            } else if (host == null && members.isEmpty()) {
                close(Reason.LOBBY_EMPTY, "creator left before joining");
            }
            return;
        }
        if (closed) {
            service.closedBeforeJoin(peer, this);
            return;
        }
        if (sealed) {
            service.refused(peer, this, Reason.LOBBY_SEALED);
            return;
        }
        boolean seated = reserved != null && peer != host;
        Peer taker = seated && peer.seat() != null ? seatTakers.get(peer.seat()) : null;
        if (taker != null && isMember(taker) && taker != host) {
            // The seat's player on a new connection (its WebRTC failed; it comes back over the relay): the old one
            // leaves, so the seat is not held twice, and the new one takes it.
            LOG.info("Lobby {}: peer {} takes over the seat of peer {}", name, peer.id(), taker.id());
            reserved.add(peer.seat()); // first: a lobby with a seat held does not close as empty
            taker.departed(Departure.LEFT);
            taker.ended(Reason.SEAT_TAKEN_OVER);
            leave(taker);
        }
        if (seated && (peer.seat() == null || !reserved.contains(peer.seat()))) {
            service.refused(peer, this, Reason.LOBBY_RESERVED);
            return;
        }
        boolean holder = peer.seat() != null && held.contains(peer.seat());
        if (members.size() + held.size() - (holder ? 1 : 0) >= capacity) {
            service.refused(peer, this, Reason.LOBBY_FULL);
            return;
        }
        if (serverHosted && peer != host) {
            String refusal = host.admission(peer);
            if (refusal != null) {
                service.refusedByGame(peer, this, refusal);
                return;
            }
        }
        if (seated) {
            reserved.remove(peer.seat()); // taken only once the peer is in: a refused join keeps its seat
            seatTakers.put(peer.seat(), peer);
        }
        if (holder) {
            held.remove(peer.seat());
        }
        if (firstComerHosts && host == null) {
            host = peer;
            owner = peer;
            LOG.info("Lobby {}: matched peer {} came first and hosts it", name, peer.id());
        }
        int assigned = idOf(peer);
        peer.assigned(assigned, mesh);
        String label = peer.label();
        for (Peer member : members.values()) {
            if (visible(peer, member)) {
                member.peerConnected(assigned, label);
                peer.peerConnected(idOf(member), member.label());
            }
        }
        members.put(assigned, peer);
        clients = countClients();
        peer.joinedAtMillis = System.currentTimeMillis();
        service.joined(dialect);
        touch();
        peer.joined(name, code, serverHosted, issueToken(assigned, peer));
        LOG.debug("Peer {} joined lobby {} as {} ({} members)", peer.id(), name, assigned, members.size());
    }

    void leave(Peer peer) {
        if (!isMember(peer)) {
            return;
        }
        int left = idOf(peer);
        members.remove(left);
        forgetToken(left);
        // Its id is free again; usually it is already (the connection's end freed it), but not a held seat's, nor
        // that of a connection that closed while it was taking over a seat.
        if (peer instanceof HeldSeat seat) {
            if (seat.end()) {
                service.seatHeld(false);
            }
            service.release(seat.dropped);
        } else {
            service.release(peer);
        }
        clients = countClients();
        touch();
        if (departed.add(left) && departed.size() > DEPARTED_MEMORY) {
            departed.remove(departed.iterator().next());
        }
        if (peer == host) {
            close(Reason.HOST_DISCONNECTED, "host left");
            return;
        }
        Departure how = peer.departure();
        for (Peer member : members.values()) {
            if (visible(peer, member)) {
                member.peerDisconnected(left, how);
            }
        }
        LOG.debug("Peer {} left lobby {} ({} members)", peer.id(), name, members.size());
        if (quickPlayKind != null) {
            service.quickPlayLeft(this, false);
        }
        if (reserved != null && !reserved.isEmpty()) {
            return; // matched players may still come: the hold's end closes it if none is here
        }
        if (serverHosted && members.size() == 1) {
            close(Reason.LOBBY_EMPTY, "last client left");
        } else if (members.isEmpty()) {
            close(Reason.LOBBY_EMPTY, "last member left");
        }
    }

    /** A fresh resume token for member {@code id}, or null when its dialect cannot resume or resuming is off. */
    private String issueToken(int id, Peer peer) {
        if (!peer.resumable() || service.resumeWindow().isZero()) {
            return null;
        }
        forgetToken(id);
        String token = peer.chosenResumeToken();
        if (token == null) {
            token = service.issueResumeToken(this);
        } else if (!service.claimResumeToken(this, token)) {
            LOG.info("Lobby {}: member {} chose a resume token already in use; its seat cannot be resumed", name, id);
            return null;
        }
        resumeTokens.put(token, id);
        tokenOf.put(id, token);
        return token;
    }

    private void forgetToken(int id) {
        String token = tokenOf.remove(id);
        if (token != null) {
            resumeTokens.remove(token);
            service.forgetResumeToken(token);
        }
    }

    /**
     * A member's connection dropped without a clean close: its seat is held for the resume window by a
     * {@link HeldSeat}, nobody is told, and the server's game hears {@code onDrop}. A peer that was not a member (it
     * was still joining, or had left) just frees its id.
     */
    void suspend(Peer peer) {
        if (!isMember(peer) || !tokenOf.containsKey(idOf(peer))) {
            service.release(peer);
            leave(peer); // not a member, or one without a token (nothing to resume with): a plain leave
            return;
        }
        int id = idOf(peer);
        HeldSeat seat = new HeldSeat(peer, this);
        service.seatHeld(true);
        seat.joinedAtMillis = peer.joinedAtMillis;
        takeOver(id, peer, seat);
        Duration window = service.resumeWindow();
        seat.expiry = service.timer().schedule(() -> executor.execute(() -> expire(seat, "not back within "
                + window.toMillis() + " ms")), window.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Lobby {}: peer {} dropped; its seat {} is held for {} ms", name, peer.id(), id, window.toMillis());
        if (serverHosted && host != seat) {
            host.peerSuspended(id);
        }
    }

    /**
     * A new connection shows a member's resume token: it takes the member's seat, id and all, whether the seat was
     * held or its old connection has not been seen to drop yet (that one is closed). It gets its id, what the seat
     * kept, and a join answer with a fresh token; the others notice nothing, the server's game hears
     * {@code onResume}. An unknown, used or expired token is refused {@link Reason#RESUME_REFUSED}.
     */
    void resume(Peer newcomer, String token) {
        if (newcomer.gone) {
            return;
        }
        Integer id = closed ? null : resumeTokens.get(token);
        Peer current = id == null ? null : members.get(id);
        Peer previous = current instanceof HeldSeat seat ? seat.dropped : current;
        // A seat is taken back by the kind of connection that held it: a relay player's by the relay, and so on (a
        // cluster member of another node's stand-in plays as a Godot 4 client of this one).
        if (current == null || previous.dialect() != newcomer.dialect()
                || previous.playsThroughRelay() != newcomer.playsThroughRelay()) {
            service.refused(newcomer, this, Reason.RESUME_REFUSED);
            return;
        }
        forgetToken(id);
        if (current instanceof HeldSeat seat) {
            if (seat.end()) {
                service.seatHeld(false);
            }
        } else {
            current.departed(Departure.LEFT);
            current.ended(Reason.RESUMED_ELSEWHERE); // a stale connection the player has left behind
        }
        service.adopt(newcomer, previous);
        takeOver(id, current, newcomer);
        newcomer.joinedAtMillis = current.joinedAtMillis;
        touch();
        newcomer.assigned(id, mesh);
        if (current instanceof HeldSeat seat) {
            seat.replay(newcomer);
        }
        newcomer.joined(name, code, serverHosted, issueToken(id, newcomer));
        LOG.info("Lobby {}: seat {} resumed by a new connection", name, id);
        if (serverHosted && host != newcomer) {
            host.peerResumed(id);
        }
    }

    /** {@code to} takes member {@code from}'s place under {@code id}, as host and owner too if it was them. */
    private void takeOver(int id, Peer from, Peer to) {
        members.put(id, to);
        if (from == host) {
            host = to;
        }
        if (from == owner) {
            owner = to;
        }
    }

    /** The seat's window ended (or it was given up): the member leaves as a dropped one, and everyone is told. */
    void expire(HeldSeat seat, String why) {
        if (!isMember(seat)) {
            return;
        }
        LOG.info("Lobby {}: held seat {} given up: {}", name, idOf(seat), why);
        seat.departed(Departure.DROPPED);
        leave(seat);
    }

    /** The lobby closed while the seat was held: its id is free again. */
    void seatEnded(HeldSeat seat) {
        if (seat.end()) {
            service.seatHeld(false);
        }
        service.release(seat.dropped);
    }

    void seal(Peer peer, Duration closeAfter, ScheduledExecutorService timer) {
        if (!isMember(peer)) {
            return;
        }
        if (peer != owner) {
            service.refuse(peer, Reason.ONLY_HOST_CAN_SEAL);
            return;
        }
        sealNow("peer " + peer.id(), closeAfter, timer);
    }

    /** Seals at once, whoever asked: members are told, and the lobby closes {@code closeAfter} later. */
    private void sealNow(String by, Duration closeAfter, ScheduledExecutorService timer) {
        if (sealed) {
            return;
        }
        sealed = true;
        touch();
        if (quickPlayKind != null) {
            service.quickPlayLeft(this, true); // a sealed lobby takes no one, quick play included
        }
        for (Peer member : members.values()) {
            member.sealed();
        }
        LOG.info("Lobby {} sealed by {} with {} peers", name, by, members.size());
        sealTimer = timer.schedule(() -> executor.execute(() -> close(Reason.SEAL_COMPLETE, "seal complete")),
                closeAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    void forward(Peer from, Signal kind, int destination, String payload) {
        if (!isMember(from)) {
            return; // its join was refused or the lobby closed: the peer is already being ended
        }
        Peer to = members.get(destination);
        if (to == null && departed.contains(destination)) {
            // Sent before the sender saw PEER_DISCONNECT: normal in any mesh, so dropped rather than punished.
            LOG.debug("Lobby {}: dropping a message from {} to departed peer {}", name, idOf(from), destination);
            return;
        }
        if (to == null || to == from || !visible(from, to)) {
            service.refuse(from, Reason.INVALID_DESTINATION);
            return;
        }
        touch();
        to.forwarded(kind, idOf(from), payload);
    }

    /** A free-form message to every member the sender can see, the sender included (it learns it went out). */
    void broadcast(Peer from, String payload) {
        if (!isMember(from)) {
            return;
        }
        touch();
        int sender = idOf(from);
        for (Peer member : members.values()) {
            if (member == from || visible(from, member)) {
                member.forwarded(Signal.MESSAGE, sender, payload);
            }
        }
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Closes the lobby once {@code timeout} has passed without activity; {@code every} bounds how late. */
    void closeWhenIdle(Duration timeout, Duration every, ScheduledExecutorService timer) {
        idleCheck = timer.scheduleAtFixedRate(() -> executor.execute(() -> {
            if (!closed && System.nanoTime() - lastActivityNanos > timeout.toNanos()) {
                close(Reason.LOBBY_IDLE, "idle for " + timeout.toMillis() + " ms");
            }
        }), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The host removes a member with a message for its user. */
    void kick(Peer by, int member, String message) {
        Peer target = members.get(member);
        if (by != host || closed || target == null || target == host) {
            return;
        }
        LOG.info("Lobby {}: host removed peer {}: {}", name, target.id(), message);
        target.kicked(message);
    }

    private int countClients() {
        return serverHosted ? members.size() - (members.containsKey(HOST_ID) ? 1 : 0) : members.size();
    }

    /** What a public listing shows, or null when it shows nothing of this lobby (closed, sealed). Any thread. */
    PublicLobby listing() {
        if (closed || sealed) {
            return null;
        }
        int seats = serverHosted ? capacity - 1 : capacity;
        return new PublicLobby(listingKey, name, game == null ? "" : game,
                serverHosted ? host.gameLabel() : Map.of(), serverHosted ? "server" : "peer", mesh, clients, seats);
    }

    List<Integer> memberIds() {
        return new ArrayList<>(members.keySet());
    }

    /** What the admin page shows of this lobby; null once it closed. */
    LobbyInfo info() {
        if (closed) {
            return null;
        }
        List<LobbyInfo.Member> list = new ArrayList<>(members.size());
        members.forEach((id, peer) -> {
            boolean server = peer == host && serverHosted;
            list.add(new LobbyInfo.Member(id, peer.id(), server ? "server" : peer.label(),
                    server ? "server" : peer.transport(serverHosted), peer.origin(), peer.joinedAtMillis,
                    peer.traffic()));
        });
        return new LobbyInfo(number, name, dialect, hosting(), mesh, sealed, game,
                host == null ? Map.of() : host.gameLabel(), createdAtMillis, list);
    }

    /** The operator closes the lobby: every member is told {@link Reason#CLOSED_BY_OPERATOR}. */
    LobbyService.Outcome closeByOperator() {
        if (closed) {
            return LobbyService.Outcome.NO_SUCH_LOBBY;
        }
        close(Reason.CLOSED_BY_OPERATOR, "closed by the operator");
        return LobbyService.Outcome.DONE;
    }

    /**
     * The matchmaker's hold on this lobby's seats is over: the game is told of each player that did not come, and a
     * lobby nobody came to closes.
     */
    void releaseSeats() {
        if (closed || reserved == null) {
            return;
        }
        if (!reserved.isEmpty() && host != null) {
            host.seatsReleased(reserved.size());
            LOG.info("Lobby {}: {} matched players did not come", name, reserved.size());
        }
        reserved = null;
        seatTakers.clear();
        if (clients == 0) {
            close(Reason.LOBBY_EMPTY, "no matched player came");
        }
    }

    /** Holds {@code seats} for players the matchmaker sent to this open lobby (see {@link #held}). */
    void hold(Set<String> seats) {
        if (!closed) {
            held.addAll(seats);
        }
    }

    /**
     * The hold on {@code seats} is over: forgets those never claimed, tells the game how many they were, and says so.
     */
    int release(Set<String> seats) {
        int unclaimed = 0;
        for (String seat : seats) {
            if (held.remove(seat)) {
                unclaimed++;
            }
        }
        if (unclaimed > 0 && serverHosted && !closed) {
            host.seatsReleased(unclaimed);
            LOG.info("Lobby {}: {} players the matchmaker sent did not come", name, unclaimed);
        }
        return unclaimed;
    }

    /** The server stops: whatever is left (held seats, the server's own peer and its WebRTC links) ends now. */
    void closeForShutdown() {
        close(Reason.SERVER_STOPPING, "the server stops");
    }

    /** The game of this server-hosted lobby closes it: every member is told the game's words. */
    void closeByGame(String text) {
        close(Reason.CLOSED_BY_GAME, "closed by its game: " + text, text);
    }

    /** The operator seals the lobby as its owner could. */
    LobbyService.Outcome sealByOperator(Duration closeAfter, ScheduledExecutorService timer) {
        if (closed) {
            return LobbyService.Outcome.NO_SUCH_LOBBY;
        }
        sealNow("the operator", closeAfter, timer);
        return LobbyService.Outcome.DONE;
    }

    /**
     * The operator removes a member (by its lobby id): it is told {@link Reason#KICKED_BY_OPERATOR} and leaves at
     * once, the others told as when it disconnects. The server's own peer 1 cannot be removed (close the lobby).
     */
    LobbyService.Outcome kickByOperator(int member) {
        Peer target = members.get(member);
        if (closed) {
            return LobbyService.Outcome.NO_SUCH_LOBBY;
        }
        if (target == null) {
            return LobbyService.Outcome.NO_SUCH_MEMBER;
        }
        if (target == host && serverHosted) {
            return LobbyService.Outcome.NOT_ALLOWED;
        }
        LOG.info("Lobby {}: the operator removed peer {}", name, target.id());
        target.departed(Departure.KICKED);
        target.ended(Reason.KICKED_BY_OPERATOR);
        leave(target);
        return LobbyService.Outcome.DONE;
    }

    private void close(Reason reason, String why) {
        close(reason, why, null);
    }

    /** Closes the lobby; {@code text}, when not null, is what members are told instead of the reason's own words. */
    private void close(Reason reason, String why, String text) {
        if (closed) {
            return;
        }
        closed = true;
        if (sealTimer != null) {
            sealTimer.cancel(false);
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        for (String token : resumeTokens.keySet()) {
            service.forgetResumeToken(token);
        }
        resumeTokens.clear();
        tokenOf.clear();
        boolean listed = service.unlisted(this);
        LOG.info("Lobby {} closed ({}), ending {} peers", name, why, members.size());
        service.journal().add("lobby closed", origin, "lobby #" + number + " " + name + ": " + why + ", "
                + members.size() + " members told " + reason.name().toLowerCase(Locale.ROOT));
        for (Peer member : members.values()) {
            if (text == null) {
                member.ended(reason);
            } else {
                member.ended(reason, text);
            }
        }
        members.clear();
        if (listed) {
            service.released(this);
        }
    }
}

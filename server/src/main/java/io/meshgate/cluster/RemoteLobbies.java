package io.meshgate.cluster;

import io.lettuce.core.RedisCommandTimeoutException;
import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.lobby.Departure;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.Elsewhere;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.SerialExecutor;
import io.meshgate.lobby.Signal;
import io.meshgate.wire.cluster.LobbyRequest;
import io.meshgate.wire.cluster.MemberEvent;
import io.meshgate.wire.cluster.Relay;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lobbies that span nodes, both ways: a client here joins a lobby another node owns (its requests go there, and the
 * lobby's events come back and are told to it in order), and a client of another node joins a lobby here (a
 * {@link Visitor} stands for it in the lobby). The lobby's node keeps running the lobby exactly as for its own
 * clients, so ids, order, close codes and reasons are a single node's.
 *
 * <p>Envelopes arrive on Redis's client thread; each is handed to the serial executor of the member it is for, so
 * nothing waits there and each member hears its lobby's events in the order the lobby made them.
 */
public final class RemoteLobbies implements Elsewhere {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteLobbies.class);

    private final Cluster cluster;
    private final LobbyService lobbies;
    /** This node's server-hosted lobbies' host peers, which relay players of other nodes play through. */
    private final Hosts hosts;
    private final Executor pool;
    private final ScheduledExecutorService timer;
    /** A name not in the directory is looked up again after 50, 100 and 200 ms before it is refused. */
    private static final int LOOKUP_RETRIES = 3;
    private static final long LOOKUP_DELAY_MS = 50;
    /** A hostless lobby that closes each time a member of this node comes is given up on after this many claims. */
    private static final int MAX_CLAIMS = 3;
    /** Messages to other nodes Redis did not confirm in time, and when that was last logged. */
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicLong lastUnconfirmedLog = new AtomicLong(System.nanoTime() - 10_000_000_000L);
    /** Clients of this node in lobbies of other nodes, by peer id. */
    private final Map<Integer, Membership> members = new ConcurrentHashMap<>();
    /** Clients of other nodes in lobbies of this node, by member key. */
    private final Map<String, Visitor> visitors = new ConcurrentHashMap<>();

    /**
     * A client of this node in a lobby elsewhere. Everything about it (the lookup's answer, its requests, its leaving,
     * the lobby's events) runs on its own serial executor, so its requests reach the lobby's node in order, after
     * its ENTER, and nothing follows its LEAVE.
     */
    private static final class Membership {
        final Peer peer;
        /** The lobby's name; null until the lobby's node says it, for a join by {@link #code}. */
        volatile String lobby;
        final String code;
        /** For quick play: what to ask the node it goes to, or to do here. */
        final LobbyRequest quickPlay;
        final SerialExecutor events;
        /** Set once the lookup answers, under the membership's lock; read by the heartbeat's watch too. */
        volatile String owner;
        /** Set as the client leaves or its lobby ends it; after that nothing goes to the lobby's node. */
        volatile boolean left;
        /** For a hostless lobby (a name its client chose): how many times its name was claimed so far. */
        int claims;

        Membership(Peer peer, String lobby, String code, LobbyRequest quickPlay, SerialExecutor events) {
            this.peer = peer;
            this.lobby = lobby;
            this.code = code;
            this.quickPlay = quickPlay;
            this.events = events;
        }
    }

    /** @param timer schedules lookups again; its tasks only post */
    public RemoteLobbies(Cluster cluster, LobbyService lobbies, Hosts hosts, Executor pool,
                         ScheduledExecutorService timer) {
        this.cluster = cluster;
        this.lobbies = lobbies;
        this.hosts = hosts;
        this.pool = pool;
        this.timer = timer;
        cluster.receive(LobbyRequest.class, this::requested);
        cluster.receive(Relay.class, (from, relay) -> relayed(relay));
        cluster.receive(MemberEvent.class, (from, event) -> told(event));
        cluster.watch(this::watch);
    }

    /**
     * A node gone from the directory (dead: its entry expired) takes its lobbies with it: this node's clients in them
     * are told their host left, and the stand-ins of its clients leave lobbies here as dropped connections.
     */
    private void watch(Cluster.View view) {
        Set<String> live = new HashSet<>();
        view.nodes().forEach(node -> live.add(node.id()));
        for (Membership membership : members.values()) {
            String owner = membership.owner;
            if (owner == null || live.contains(owner)) {
                continue; // still looking it up, or its node is there: nothing to post
            }
            membership.events.execute(() -> {
                if (membership.owner != null && !membership.left && !live.contains(membership.owner)
                        && members.remove(membership.peer.id(), membership)) {
                    LOG.info("Peer {}: node {} of lobby {} is gone from the cluster", membership.peer.id(),
                            membership.owner, membership.lobby);
                    membership.left = true;
                    lobbies.remoteEnded(membership.peer, Reason.HOST_DISCONNECTED, null);
                }
            });
        }
        for (Visitor visitor : visitors.values()) {
            if (!live.contains(visitor.home)) {
                homeGone(visitor);
            }
        }
    }

    private void homeGone(Visitor visitor) {
        if (visitors.remove(visitor.member, visitor)) {
            visitor.gone();
            LOG.info("Member {} of lobby {}: its node {} is gone; it leaves", visitor.member, visitor.lobbyName(),
                    visitor.home);
            visitor.departed(Departure.DROPPED);
            lobbies.unregister(visitor);
        }
    }

    /**
     * The membership of {@code peer} on its way to a lobby elsewhere, known from now on; {@code what} says which in
     * the name of its executor.
     */
    private Membership membership(Peer peer, String lobby, String code, LobbyRequest quickPlay, String what) {
        Membership membership = new Membership(peer, lobby, code, quickPlay, new SerialExecutor(pool, "member "
                + peer.id() + " " + what));
        members.put(peer.id(), membership);
        return membership;
    }

    private String key(Peer peer) {
        return cluster.nodeId() + "/" + peer.id();
    }

    @Override
    public void join(Peer peer, String lobby) {
        if (peer instanceof Visitor) {
            lobbies.notFound(peer); // a visitor's lobby is this node's or none: it is never looked for further
            return;
        }
        lookUp(membership(peer, lobby, null, null, "of remote lobby " + lobby), 0);
    }

    @Override
    public void enterHostless(Peer peer, String key) {
        if (peer instanceof Visitor) {
            lobbies.notFound(peer); // as in join: its own node asks the cluster again
            return;
        }
        Membership membership = membership(peer, key, null, null, "of hostless lobby " + key);
        membership.claims = 1;
        claim(membership);
    }

    /**
     * The hostless lobby's name is claimed for this node unless a live node holds it: then the member enters it
     * there, else here. Claiming rather than looking up means two nodes never both open a lobby of that name.
     */
    private void claim(Membership membership) {
        Peer peer = membership.peer;
        String key = membership.lobby;
        cluster.claim(Cluster.lobbyKey(key)).whenComplete((holder, failure) -> membership.events.execute(() -> {
            if (membership.left) {
                return;
            }
            if (failure != null) {
                LOG.info("Peer {}: hostless lobby {} could not be claimed in the cluster ({})", peer.id(), key,
                        failure.getMessage());
                members.remove(peer.id(), membership);
                lobbies.unreachable(peer);
            } else if (holder.equals(cluster.nodeId())) {
                membership.left = true;
                lobbies.enterHostlessHere(peer, key);
                members.remove(peer.id(), membership); // after: its executor stands until the lobby here has it
            } else {
                LOG.info("Peer {} enters hostless lobby {} on node {}", peer.id(), key, holder);
                enter(membership, holder, entering(peer, key, null));
            }
        }));
    }

    @Override
    public void joinByCode(Peer peer, String code) {
        lookUp(membership(peer, null, code, null, "of the remote lobby with code " + code), 0);
    }

    @Override
    public Executor executor(Peer member) {
        Membership membership = members.get(member.id());
        return membership == null ? null : membership.events;
    }

    @Override
    public String node() {
        return cluster.nodeId();
    }

    @Override
    public void resume(Peer peer, String node, String token) {
        Membership membership = membership(peer, null, null, null, "taking its seat back");
        LobbyRequest resuming = LobbyRequest.resume(token, key(peer), peer.userId(), lobbies.originOf(peer.id()),
                peer.dialect().label(), peer.playsThroughRelay(), peer.standsIn(), peer.chosenResumeToken());
        if (node != null) {
            membership.events.execute(() -> resumeOn(membership, node, resuming));
            return;
        }
        cluster.ownerOfKey(token).whenComplete((owner, failure) -> membership.events.execute(() -> {
            if (membership.left) {
                return;
            }
            if (failure != null || owner == null || owner.equals(cluster.nodeId())) {
                members.remove(peer.id(), membership);
                if (failure != null) {
                    lobbies.unreachable(peer);
                } else {
                    lobbies.resumeRefused(peer); // no node holds a seat for that key (or it ended as we looked)
                }
                return;
            }
            resumeOn(membership, owner, resuming);
        }));
    }

    /** On the membership's executor: the seat's node is known; the resuming request goes there. */
    private void resumeOn(Membership membership, String node, LobbyRequest resuming) {
        LOG.info("Peer {} takes its seat back on node {}", membership.peer.id(), node);
        enter(membership, node, resuming);
    }

    @Override
    public void quickPlay(Peer peer, String kind, boolean mesh, boolean serverHosted, String game) {
        Membership membership = membership(peer, null, null, LobbyRequest.quickPlay(key(peer), peer.userId(),
                lobbies.originOf(peer.id()), mesh, serverHosted, game, peer.playsThroughRelay(),
                peer.dialect().label()), "in quick play");
        cluster.quickPlayNodes(kind).whenComplete((open, failure) -> membership.events.execute(() -> {
            if (membership.left) {
                return;
            }
            if (failure != null) {
                LOG.info("Peer {}: quick play cannot ask the cluster ({}); it plays on this node", peer.id(),
                        failure.getMessage());
                playHere(membership);
                return;
            }
            String node = Placement.quickPlay(cluster.view().nodes(), cluster.nodeId(), open);
            if (node.equals(cluster.nodeId())) {
                playHere(membership);
                return;
            }
            LOG.info("Peer {} plays {} on node {} ({})", peer.id(), kind, node,
                    open.contains(node) ? "a lobby with a free seat" : "the most room for a new lobby");
            enter(membership, node, membership.quickPlay);
        }));
    }

    /** On the membership's executor: quick play on this node after all, as a single node plays it. */
    private void playHere(Membership membership) {
        members.remove(membership.peer.id(), membership);
        membership.left = true;
        LobbyRequest request = membership.quickPlay;
        lobbies.quickPlayHere(membership.peer, request.mesh(), request.serverHosted(), request.game());
    }

    /**
     * Asks the directory for the lobby's node. A miss is asked again a little later, up to {@link #LOOKUP_RETRIES}
     * times: a lobby created a moment ago on another node may not be listed yet (its node writes the entry as the
     * creator is told the name, and a friend can be quicker than that write).
     */
    private void lookUp(Membership membership, int attempt) {
        Peer peer = membership.peer;
        String lobby = membership.lobby;
        String code = membership.code;
        (code == null ? cluster.owner(lobby) : cluster.ownerOfCode(code))
                .whenComplete((owner, failure) -> membership.events.execute(() -> {
            if (membership.left) {
                return;
            }
            if (failure == null && owner == null && attempt < LOOKUP_RETRIES) {
                timer.schedule(() -> lookUp(membership, attempt + 1), LOOKUP_DELAY_MS << attempt,
                        TimeUnit.MILLISECONDS);
                return;
            }
            if (failure != null) {
                LOG.info("Peer {}: lobby {} could not be looked up in the cluster ({})", peer.id(),
                        code == null ? lobby : "with code " + code, failure.getMessage());
                members.remove(peer.id(), membership);
                lobbies.unreachable(peer);
                return;
            }
            if (owner == null || owner.equals(cluster.nodeId())) {
                members.remove(peer.id(), membership);
                refuseUnknown(membership); // also the owner's own stale entry: the lobby closed as we looked
                return;
            }
            LOG.info("Peer {} joins lobby {} on node {}", peer.id(), code == null ? lobby : "with code " + code,
                    owner);
            enter(membership, owner, entering(peer, lobby, code));
        }));
    }

    /** The request that enters {@code peer} into the lobby named {@code lobby}, or whose join code is {@code code}. */
    private LobbyRequest entering(Peer peer, String lobby, String code) {
        return LobbyRequest.enter(lobby, code, key(peer), peer.userId(), lobbies.originOf(peer.id()), peer.seat(),
                peer.playsThroughRelay(), peer.standsIn(), peer.dialect().label(),
                peer.dialect() == Dialect.GODOT4 ? null : peer.label(), peer.chosenResumeToken());
    }

    /** Refuses a join as one node refuses a name or a code it does not know. */
    private void refuseUnknown(Membership membership) {
        if (membership.code == null) {
            lobbies.notFound(membership.peer);
        } else {
            lobbies.noSuchCode(membership.peer);
        }
    }

    /**
     * On the membership's executor: the lobby's node is known; the entering request goes there, and from now on the
     * client's requests go straight from its own thread (see {@link #request}), after it and in their order.
     */
    private void enter(Membership membership, String owner, LobbyRequest entering) {
        synchronized (membership) {
            if (membership.left) {
                return;
            }
            membership.owner = owner;
            send(membership, entering);
        }
    }

    /**
     * Sends what {@code request} makes for the client, from the caller's thread (the client's requests come one at a
     * time), once its entering request went and unless it has left; before that, as on one node before a join
     * answer, it is dropped. Under the membership's lock, so that nothing overtakes the entering request or follows
     * the leaving one.
     */
    private void request(Peer peer, Function<Membership, Object> request) {
        Membership membership = members.get(peer.id());
        if (membership == null) {
            return;
        }
        synchronized (membership) {
            if (membership.owner != null && !membership.left) {
                send(membership, request.apply(membership));
            }
        }
    }

    @Override
    public void forward(Peer from, Signal kind, int destination, String payload) {
        request(from, membership -> new Relay(membership.lobby, key(from), kindNumber(kind), destination, payload));
    }

    @Override
    public void broadcast(Peer from, String payload) {
        request(from, membership -> new Relay(membership.lobby, key(from), Relay.Kinds.MESSAGE, 0, payload));
    }

    @Override
    public void packet(Peer from, byte[] packet) {
        request(from, membership -> Relay.packet(membership.lobby, key(from), 0, packet));
    }

    @Override
    public void seal(Peer peer) {
        request(peer, membership -> new LobbyRequest(membership.lobby, key(peer), LobbyRequest.SEAL, null, null, 0));
    }

    @Override
    public void leave(Peer peer) {
        Membership membership = members.remove(peer.id());
        if (membership == null) {
            return;
        }
        Departure how = peer.departure() == null ? Departure.LEFT : peer.departure();
        synchronized (membership) {
            membership.left = true;
            if (membership.owner != null) {
                cluster.send(membership.owner, new LobbyRequest(membership.lobby, key(peer), LobbyRequest.LEAVE,
                        null, null, how.ordinal() + 1));
            }
        }
    }

    /**
     * Sends for a client of this node; if the lobby's node cannot be reached, the client is told its lobby ended as
     * when its host leaves, rather than waiting for answers that will not come.
     */
    private void send(Membership membership, Object message) {
        cluster.send(membership.owner, message).whenComplete((delivered, failure) -> {
            if (slow(failure, membership.peer.id(), membership.lobby)) {
                return;
            }
            if ((failure != null || !delivered) && members.remove(membership.peer.id(), membership)) {
                LOG.info("Peer {}: node {} of lobby {} is unreachable ({})", membership.peer.id(), membership.owner,
                        membership.lobby, failure != null ? failure.getMessage() : "not listening");
                boolean entering = message instanceof LobbyRequest request && request.request() == LobbyRequest.ENTER;
                membership.events.execute(() -> {
                    if (message == membership.quickPlay) {
                        playHere(membership); // the node it was to play on is gone: this one takes it
                        return;
                    }
                    membership.left = true;
                    if (failure != null && (entering || message instanceof LobbyRequest request
                            && request.request() == LobbyRequest.RESUME)) {
                        lobbies.unreachable(membership.peer); // Redis is away: nobody can say where the lobby is
                    } else if (message instanceof LobbyRequest request && request.request() == LobbyRequest.RESUME) {
                        lobbies.resumeRefused(membership.peer); // a seat whose node is gone is no seat
                    } else if (entering) {
                        refuseUnknown(membership); // a lobby whose node is gone is a lobby no node has
                    } else {
                        lobbies.remoteEnded(membership.peer, Reason.HOST_DISCONNECTED, null);
                    }
                });
            }
        });
    }

    /** From a visitor, on its lobby's executor: to the client's node. A node that cannot be reached loses its member. */
    void sendHome(Visitor visitor, Object message) {
        cluster.send(visitor.home, message).whenComplete((delivered, failure) -> {
            if (!slow(failure, visitor.id(), visitor.lobbyName()) && (failure != null || !delivered)) {
                homeGone(visitor);
            }
        });
    }

    /**
     * A message Redis did not confirm in time: it may still arrive, and a node that is really gone leaves the
     * directory (see {@link #watch}), so a slow moment (a loaded machine) ends no membership. Logged, as the message
     * may be lost.
     */
    private boolean slow(Throwable failure, int peer, String lobby) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RedisCommandTimeoutException) {
            long unconfirmed = this.unconfirmed.incrementAndGet();
            long now = System.nanoTime();
            long last = lastUnconfirmedLog.get();
            // an overloaded node may see thousands a second: one line per 5 s at most, with the count
            if (now - last > 5_000_000_000L && lastUnconfirmedLog.compareAndSet(last, now)) {
                LOG.info("Peer {} of lobby {}: a message to another node was not confirmed in time ({}); {} so far",
                        peer, lobby, cause.getMessage(), unconfirmed);
            }
            return true;
        }
        return false;
    }


    /** The visitor's membership ended here: its id is free again. */
    void forget(Visitor visitor) {
        if (visitors.remove(visitor.member, visitor)) {
            visitor.gone();
            lobbies.unregister(visitor);
        }
    }

    /**
     * On Redis's client thread: a signal (or a relay player's game packet) for a member of this node, or from a
     * visitor's client for its lobby here.
     */
    private void relayed(Relay relay) {
        boolean packet = relay.kind() == Relay.Kinds.PACKET;
        Signal kind = packet ? null : kindOf(relay.kind());
        if (packet ? relay.data() == null : kind == null) {
            return;
        }
        if (relay.member().startsWith(cluster.nodeId() + "/")) {
            Membership membership = membershipOf(relay.member());
            if (membership != null) {
                membership.events.execute(() -> {
                    if (membership.left) {
                        return;
                    }
                    if (packet) {
                        lobbies.remotePacket(membership.peer, relay.peer(), relay.data());
                    } else {
                        lobbies.remoteForwarded(membership.peer, kind, relay.peer(), relay.payload());
                    }
                });
            }
            return;
        }
        Visitor visitor = visitors.get(relay.member());
        if (visitor == null) {
            return;
        }
        if (packet) {
            visitor.fromPlayer(relay.data());
        } else if (kind == Signal.MESSAGE && relay.peer() == 0) {
            lobbies.broadcast(visitor, relay.payload()); // a message for everyone in the lobby
        } else {
            lobbies.forward(visitor, kind, relay.peer(), relay.payload());
        }
    }

    /** The host peer of this node's server-hosted lobby {@code lobby}, or null. */
    HostPeer host(String lobby) {
        return lobby == null ? null : hosts.find(lobby);
    }

    /** On Redis's client thread: what a lobby elsewhere tells a member of this node, handed to its executor. */
    private void told(MemberEvent event) {
        Membership membership = membershipOf(event.member());
        if (membership != null) {
            membership.events.execute(() -> {
                if (!membership.left) {
                    tell(membership, event);
                }
            });
        }
    }

    private Membership membershipOf(String member) {
        try {
            return members.get(Integer.parseInt(member.substring(member.indexOf('/') + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A member of another node asks a lobby of this node; on Redis's client thread, which the core only posts from. */
    private void requested(String from, LobbyRequest request) {
        switch (request.request()) {
            case LobbyRequest.ENTER -> {
                Visitor visitor = arrived(from, request);
                if (visitor != null && request.code() != null) {
                    lobbies.joinByCode(visitor, request.code());
                } else if (visitor != null) {
                    lobbies.join(visitor, request.lobby());
                }
            }
            case LobbyRequest.QUICK_PLAY -> {
                Visitor visitor = arrived(from, request);
                if (visitor != null) {
                    lobbies.quickPlay(visitor, request.mesh(), request.serverHosted(), request.game());
                }
            }
            case LobbyRequest.RESUME -> {
                Visitor visitor = arrived(from, request);
                if (visitor != null && request.resume() != null) {
                    lobbies.resume(visitor, request.resume());
                }
            }
            case LobbyRequest.SEAL -> {
                Visitor visitor = visitors.get(request.member());
                if (visitor != null) {
                    lobbies.seal(visitor);
                }
            }
            case LobbyRequest.LEAVE -> {
                Visitor visitor = visitors.remove(request.member());
                if (visitor != null) {
                    visitor.gone();
                    Departure[] departures = Departure.values();
                    int how = request.departure() - 1;
                    visitor.departed(how >= 0 && how < departures.length ? departures[how] : Departure.DROPPED);
                    lobbies.unregister(visitor);
                }
            }
            default -> LOG.debug("Cluster: unknown lobby request {} from {}", request.request(), from);
        }
    }

    /**
     * The stand-in of a member of node {@code from} that asks to enter, registered here; null when it may not (the
     * node is full: it was refused) or the same member asked twice (the first request stands).
     */
    private Visitor arrived(String from, LobbyRequest request) {
        Dialect dialect = request.dialect() == null ? Dialect.GODOT4 : Dialect.ofLabel(request.dialect());
        if (dialect == null) {
            LOG.info("Cluster: {} of node {} speaks {}, which this node does not", request.member(), from,
                    request.dialect());
            cluster.send(from, new MemberEvent(request.member(), MemberEvent.REFUSED, 0, false,
                    Reason.LOBBY_NOT_FOUND.name()));
            return null;
        }
        Visitor visitor = new Visitor(this, request.member(), from, request.origin(), request.relay(),
                request.standIn(), dialect, request.label(), request.key());
        if (request.user() != null) {
            visitor.identify(request.user(), "");
        }
        if (request.seat() != null) {
            visitor.claimSeat(request.seat());
        }
        if (visitors.putIfAbsent(request.member(), visitor) != null) {
            return null;
        }
        if (!lobbies.register(visitor)) {
            return null;
        }
        if (request.relay() && request.request() == LobbyRequest.ENTER) {
            visitor.expectedBy(host(request.lobby())); // before its join: the host must not offer it WebRTC
        }
        return visitor;
    }

    /** On the member's executor: what its lobby elsewhere said, told to it as a lobby here would. */
    private void tell(Membership membership, MemberEvent event) {
        Peer peer = membership.peer;
        switch (event.event()) {
            case MemberEvent.ASSIGNED -> lobbies.remoteAssigned(peer, event.id(), event.flag());
            case MemberEvent.PEER_CONNECTED -> lobbies.remotePeerConnected(peer, event.id(), event.text());
            case MemberEvent.PEER_DISCONNECTED -> lobbies.remotePeerDisconnected(peer, event.id(),
                    departure(event.text()));
            case MemberEvent.JOINED -> {
                membership.lobby = event.text();
                lobbies.remoteJoined(peer, event.text(), event.detail(), event.flag(), event.extra());
            }
            case MemberEvent.SEALED -> lobbies.remoteSealed(peer);
            case MemberEvent.REFUSED -> {
                if (event.flag()) { // a request of a member: it stays one unless its dialect ends it
                    lobbies.remoteRequestRefused(peer, reason(event.text()), event.detail());
                    return;
                }
                if (membership.quickPlay != null && membership.lobby == null
                        && reason(event.text()) == Reason.DRAINING) {
                    playHere(membership); // it began draining as the player was on its way: this node takes it
                    return;
                }
                if (membership.claims > 0 && membership.claims < MAX_CLAIMS
                        && reason(event.text()) == Reason.LOBBY_NOT_FOUND) {
                    // its last member left as this one came: as on one node, the name opens anew, maybe here
                    synchronized (membership) {
                        membership.owner = null;
                    }
                    membership.claims++;
                    claim(membership);
                    return;
                }
                over(membership);
                lobbies.remoteRefused(peer, reason(event.text()), event.detail());
            }
            case MemberEvent.ENDED -> {
                over(membership);
                lobbies.remoteEnded(peer, reason(event.text()), event.detail());
            }
            case MemberEvent.KICKED -> {
                over(membership);
                lobbies.remoteKicked(peer, event.text());
            }
            default -> LOG.debug("Cluster: unknown member event {}", event.event());
        }
    }

    /** The lobby ended the membership: nothing more goes there, not even a LEAVE. */
    private void over(Membership membership) {
        membership.left = true;
        members.remove(membership.peer.id(), membership);
    }

    private static Departure departure(String name) {
        try {
            return Departure.valueOf(name);
        } catch (RuntimeException e) {
            return Departure.LEFT;
        }
    }

    /** A reason a newer release named and this one does not know reads as the lobby having closed. */
    private static Reason reason(String name) {
        try {
            return Reason.valueOf(name);
        } catch (RuntimeException e) {
            return Reason.HOST_DISCONNECTED;
        }
    }

    static int kindNumber(Signal kind) {
        return switch (kind) {
            case OFFER -> Relay.Kinds.OFFER;
            case ANSWER -> Relay.Kinds.ANSWER;
            case CANDIDATE -> Relay.Kinds.CANDIDATE;
            case MESSAGE -> Relay.Kinds.MESSAGE;
        };
    }

    private static Signal kindOf(int number) {
        return switch (number) {
            case Relay.Kinds.OFFER -> Signal.OFFER;
            case Relay.Kinds.ANSWER -> Signal.ANSWER;
            case Relay.Kinds.CANDIDATE -> Signal.CANDIDATE;
            case Relay.Kinds.MESSAGE -> Signal.MESSAGE;
            default -> null;
        };
    }
}

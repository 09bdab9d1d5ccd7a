package io.meshgate.lobby;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lobby core: registers peers, creates and finds lobbies, and posts every request into the lobby's serial
 * executor. Dialect adapters call it from their transport threads; it never blocks them.
 *
 * <p>Requests a peer makes are handled in the order it makes them, because they all go to the one executor of the
 * lobby the peer asked for. Refusals reach the peer as {@link Peer#refused} with a {@link Reason}.
 */
public final class LobbyService {

    private static final Logger LOG = LoggerFactory.getLogger(LobbyService.class);
    private static final String NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 16 characters of 62 give 95 bits: a lobby name cannot be guessed, only shared. */
    private static final int NAME_LENGTH = 16;
    /** Recent refusals and closes the admin page shows. */
    private static final int JOURNAL_SIZE = 200;

    /**
     * The limits and timings the core enforces; quick-play lobbies fill up to {@code quickPlaySize} members, and no
     * one address ({@link Peer#origin}) holds more than {@code maxLobbiesPerAddress} open lobbies (0: no such limit).
     */
    public record Limits(int maxPeers, int maxLobbies, int maxLobbyPeers, Duration sealTimeout, int quickPlaySize,
                         int maxLobbiesPerAddress, Duration resumeWindow) {

        /** Without resuming: a dropped connection's seat is given up at once. */
        public Limits(int maxPeers, int maxLobbies, int maxLobbyPeers, Duration sealTimeout, int quickPlaySize,
                      int maxLobbiesPerAddress) {
            this(maxPeers, maxLobbies, maxLobbyPeers, sealTimeout, quickPlaySize, maxLobbiesPerAddress, Duration.ZERO);
        }
    }

    /** Quick-play lobbies with free seats, by kind; guarded by itself. Seats are counted as they are handed out. */
    private final Map<String, Map<Lobby, Integer>> quickPlay = new HashMap<>();

    private final Limits limits;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Integer, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicInteger peerCount = new AtomicInteger();
    private final ConcurrentHashMap<String, Lobby> lobbies = new ConcurrentHashMap<>();
    private final AtomicInteger lobbyCount = new AtomicInteger();
    private final Map<Reason, LongAdder> refusals = new EnumMap<>(Reason.class);
    private final Map<Dialect, LongAdder> joins = new EnumMap<>(Dialect.class);
    private final AtomicLong lobbyNumbers = new AtomicLong();
    private final Journal journal = new Journal(JOURNAL_SIZE);
    /** Public lobbies by listing key, the order listings page in. */
    private final ConcurrentSkipListMap<Long, Lobby> listed = new ConcurrentSkipListMap<>();
    /** The last listing key given out (see {@link #nextListingKey}). */
    private final AtomicLong listingKeys = new AtomicLong();
    private final JoinCodes codes = new JoinCodes();
    /** Seats held for dropped connections now, for metrics; lobbies count them in and out on their executors. */
    private final AtomicInteger heldSeats = new AtomicInteger();
    /** Resume tokens of members that have one, to their lobby (which knows whose each is). */
    private final ConcurrentHashMap<String, Lobby> resumeTokens = new ConcurrentHashMap<>();
    /** Set when the server drains: no lobby is created or joined any more; those open play on. */
    private volatile boolean draining;
    /** Open lobbies per creator's address, for the per-address limit; an address leaves the map with its last. */
    private final ConcurrentHashMap<String, Integer> lobbiesByOrigin = new ConcurrentHashMap<>();

    private final HostFactory hosts;
    /** Where else this node's lobbies are listed (a cluster's shared directory); by default nowhere. */
    private volatile Directory directory = Directory.NONE;

    /**
     * Where else lobbies are listed, so that other nodes of a cluster find the node that owns one. Its methods are
     * called on whichever thread opens or closes the lobby, and must not block.
     */
    public interface Directory {

        /** A single node's: nowhere else. */
        Directory NONE = new Directory() {
        };

        /** A lobby anyone may now find by name. */
        default void listed(String lobby) {
        }

        /**
         * A hostless lobby, whose name a client chose, is now this node's: the cluster gave its name here (see
         * {@link Elsewhere#enterHostless}); {@link #unlisted} withdraws it.
         */
        default void claimed(String lobby) {
        }

        /** The lobby's join code, once it has one. */
        default void coded(String code, String lobby) {
        }

        /** The lobby can be found no more; {@code code} is its join code, or null. */
        default void unlisted(String lobby, String code) {
        }

        /**
         * Whether this node now has a quick-play lobby of {@code kind} with a free seat ({@code open}), as it changes;
         * called with the quick-play pool's lock held, in the order the changes happen.
         */
        default void quickPlayOpen(String kind, boolean open) {
        }

        /** This node drains: it takes no new lobbies and no players. */
        default void draining() {
        }

        /** A resume key a client chose (which names no node) now takes back a seat of this node. */
        default void keyed(String key) {
        }

        /** That key takes back no seat any more. */
        default void unkeyed(String key) {
        }

        /**
         * The public Godot 4 lobbies of other nodes, in listing-key order ({@link PublicLobby#number}), as of a
         * moment ago; any thread.
         */
        default List<PublicLobby> listedElsewhere() {
            return List.of();
        }
    }

    /** Lobbies of other nodes, for a join by a name this node does not know; null on a single node. */
    private volatile Elsewhere elsewhere;

    /** Reaches lobbies of other nodes through {@code elsewhere} from now on; set once, before clients come. */
    public void elsewhere(Elsewhere elsewhere) {
        this.elsewhere = elsewhere;
    }

    /** Lists this node's lobbies in {@code directory} too, from now on; set once, before clients come. */
    public void directory(Directory directory) {
        this.directory = directory;
    }

    /**
     * @param hosts makes the server's peer 1 for server-hosted lobbies, or null if this server cannot host
     */
    public LobbyService(Limits limits, Executor workers, ScheduledExecutorService timer, HostFactory hosts) {
        this.limits = limits;
        this.workers = workers;
        this.timer = timer;
        this.hosts = hosts;
        for (Reason reason : Reason.values()) {
            if (reason.isRefusal()) {
                refusals.put(reason, new LongAdder());
            }
        }
        for (Dialect dialect : Dialect.values()) {
            joins.put(dialect, new LongAdder());
        }
    }

    /** What the server recently refused and closed, for the admin page; the connections add theirs. */
    public Journal journal() {
        return journal;
    }

    long nextLobbyNumber() {
        return lobbyNumbers.incrementAndGet();
    }

    /** Gives the peer its server-unique id; false (and the peer ended) when the server is full. */
    public boolean register(Peer peer) {
        if (peerCount.incrementAndGet() > limits.maxPeers()) {
            peerCount.decrementAndGet();
            refuse(peer, Reason.TOO_MANY_PEERS);
            return false;
        }
        int id;
        do {
            // 2..2^31-1: 1 is the host's id inside a lobby and 0 means "mesh" in Godot's JOIN.
            id = 2 + random.nextInt(Integer.MAX_VALUE - 1);
        } while (peers.putIfAbsent(id, peer) != null);
        peer.assignId(id);
        return true;
    }

    /**
     * The peer's connection is gone: it leaves its lobby, and its id becomes free. A connection that dropped without
     * a clean close ({@link Departure#DROPPED}) of a dialect that can resume keeps its seat and id for the resume
     * window instead (see {@link HeldSeat}).
     */
    public void unregister(Peer peer) {
        peer.gone = true;
        if (peer.id() == 0 || peers.get(peer.id()) != peer) {
            return; // never registered, already gone, or its seat was taken over by a new connection
        }
        Lobby lobby = peer.lobby;
        if (lobby != null && peer.resumable() && !limits.resumeWindow().isZero()
                && peer.departure() == Departure.DROPPED) {
            lobby.executor.execute(() -> lobby.suspend(peer)); // the lobby frees the id when the seat ends
            return;
        }
        if (!peers.remove(peer.id(), peer)) {
            return;
        }
        peerCount.decrementAndGet();
        if (lobby != null) {
            lobby.executor.execute(() -> lobby.leave(peer));
        } else if (peer.remoteLobby != null) {
            elsewhere.leave(peer);
        }
    }

    // What a lobby on another node tells its member here (see Elsewhere): the same calls a lobby here would make,
    // in the order that lobby made them. Any thread, one call at a time per peer.

    public void remoteAssigned(Peer peer, int id, boolean mesh) {
        peer.assigned(id, mesh);
    }

    public void remotePeerConnected(Peer peer, int id, String label) {
        peer.peerConnected(id, label);
    }

    public void remotePeerDisconnected(Peer peer, int id, Departure how) {
        peer.peerDisconnected(id, how);
    }

    public void remoteJoined(Peer peer, String lobbyName, String code, boolean serverHosted, String resume) {
        peer.remoteLobby = lobbyName; // a join by code learns the name only now
        peer.joined(lobbyName, code, serverHosted, resume);
    }

    public void remotePacket(Peer peer, int delivery, byte[] packet) {
        peer.hostPacket(delivery, packet);
    }

    /** Game traffic of a relay player for the game of its lobby on another node; its transport thread. */
    public void packetElsewhere(Peer from, byte[] packet) {
        Elsewhere others = elsewhere;
        if (others != null && from.inLobbyElsewhere()) {
            others.packet(from, packet);
        }
    }

    public void remoteSealed(Peer peer) {
        peer.sealed();
    }

    public void remoteForwarded(Peer peer, Signal kind, int from, String payload) {
        peer.forwarded(kind, from, payload);
    }

    /** The lobby elsewhere refused the peer ({@code text}: another's words, or null); it is in no lobby again. */
    public void remoteRefused(Peer peer, Reason reason, String text) {
        peer.remoteLobby = null;
        if (text == null) {
            refuse(peer, reason);
        } else {
            peer.refused(reason, text);
        }
    }

    /**
     * The lobby elsewhere refused a request of the peer, a member there, which stays one: its dialect decides (a
     * Godot client is closed, and its leaving goes there; a {@code ###!} client stays).
     */
    public void remoteRequestRefused(Peer peer, Reason reason, String text) {
        if (text == null) {
            refuse(peer, reason);
        } else {
            peer.refused(reason, text);
        }
    }

    /** The peer's membership elsewhere ended ({@code text}: another's words, or null). */
    public void remoteEnded(Peer peer, Reason reason, String text) {
        peer.remoteLobby = null;
        if (text == null) {
            peer.ended(reason);
        } else {
            peer.ended(reason, text);
        }
    }

    public void remoteKicked(Peer peer, String message) {
        peer.remoteLobby = null;
        peer.kicked(message);
    }

    /** The id of a peer whose seat ended is free again (nothing if it is already); any thread. */
    void release(Peer peer) {
        if (peer.id() != 0 && peers.remove(peer.id(), peer)) {
            peerCount.decrementAndGet();
        }
    }

    /**
     * {@code newcomer} takes over the seat of {@code previous} (a dropped or stale connection): it gets its id in the
     * registry, and its own fresh one is free again. On the lobby's executor.
     */
    void adopt(Peer newcomer, Peer previous) {
        int fresh = newcomer.id();
        int id = previous.id();
        if (fresh == id) {
            return;
        }
        // A seat keeps its id registered until it ends, so previous is normally there: the newcomer takes its place,
        // and one of the two counts goes. A stale connection that closed meanwhile took its count with it.
        Peer replaced = peers.put(id, newcomer);
        if (peers.remove(fresh, newcomer) && replaced == previous) {
            peerCount.decrementAndGet();
        }
        newcomer.assignId(id);
    }

    /**
     * Closes every lobby still open, waiting up to {@code within} for them: when the server stops after its
     * connections closed, held seats and the server's own peers would otherwise keep WebRTC links past the engine.
     */
    public void closeAll(Duration within) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Lobby lobby : lobbies.values()) {
            closing.add(CompletableFuture.runAsync(lobby::closeForShutdown, lobby.executor));
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture[0])).get(within.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Not every lobby closed within {} ms on stopping: {}", within.toMillis(), e.toString());
        }
    }

    /** A seat began or stopped being held (see {@link HeldSeat}). */
    void seatHeld(boolean held) {
        if (held) {
            heldSeats.incrementAndGet();
        } else {
            heldSeats.decrementAndGet();
        }
    }

    /** Seats held now for connections that dropped and may resume; any thread. */
    public int heldSeats() {
        return heldSeats.get();
    }

    /** How long a dropped connection's seat is held; zero when resuming is off. Any thread. */
    public Duration resumeWindow() {
        return limits.resumeWindow();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * A fresh resume token of a member of {@code lobby}: 128 random bits, URL-safe; in a cluster after this node's id
     * and {@link #NODE_MARK}, so that a node the client comes back to knows where the seat is.
     */
    String issueResumeToken(Lobby lobby) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        Elsewhere others = elsewhere;
        String token = (others == null ? "" : others.node() + NODE_MARK)
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        resumeTokens.put(token, lobby);
        return token;
    }

    /**
     * The token a client chose (see {@link Peer#chosenResumeToken}) now resumes a seat of {@code lobby}, if free; in
     * a cluster the directory tells the other nodes where, as such a token names no node.
     */
    boolean claimResumeToken(Lobby lobby, String token) {
        if (resumeTokens.putIfAbsent(token, lobby) != null) {
            return false;
        }
        directory.keyed(token);
        return true;
    }

    void forgetResumeToken(String token) {
        if (resumeTokens.remove(token) != null) {
            directory.unkeyed(token); // nothing to do for a token this node issued: only chosen ones are keyed
        }
    }

    /**
     * Takes back the seat whose resume token the peer shows (see {@link Lobby#resume}); an unknown, used or expired
     * token is refused {@link Reason#RESUME_REFUSED}. Allowed while draining: it is no new join.
     */
    public void resume(Peer peer, String token) {
        if (peer.lobby != null || peer.remoteLobby != null) {
            refuse(peer, Reason.ALREADY_IN_LOBBY);
            return;
        }
        Lobby lobby = resumeTokens.get(token);
        Elsewhere others = elsewhere;
        int mark = token.indexOf(NODE_MARK);
        if (lobby == null && others != null && peer.joinsElsewhere()
                && (mark < 0 || !token.substring(0, mark).equals(others.node()))) {
            peer.remoteLobby = RESUME_PENDING; // its name comes with the seat's node's answer
            others.resume(peer, mark < 0 ? null : token.substring(0, mark), token); // a chosen key: looked up
            return;
        }
        if (lobby == null) {
            refuse(peer, Reason.RESUME_REFUSED);
            return;
        }
        peer.lobby = lobby;
        lobby.executor.execute(() -> lobby.resume(peer, token));
    }

    /**
     * The server's own host peer gives up its lobby (its game could not start): the lobby closes as when a host
     * leaves, every member told {@link Reason#HOST_DISCONNECTED}.
     */
    public void abandon(Peer host) {
        Lobby lobby = host.lobby;
        if (lobby != null) {
            lobby.executor.execute(() -> lobby.leave(host));
        }
    }

    /**
     * Creates a lobby with an unguessable name. In a peer-hosted lobby the creator is the host (1); in a
     * server-hosted one the server is, running the server's default game, and the creator joins as its first client.
     */
    public void create(Peer peer, boolean mesh, boolean serverHosted) {
        create(peer, mesh, serverHosted, null);
    }

    /**
     * Creates a lobby as {@link #create(Peer, boolean, boolean)} does; a server-hosted one runs {@code game} (null:
     * the server's default), and a game the server does not offer is refused {@link Reason#UNKNOWN_GAME}.
     */
    public void create(Peer peer, boolean mesh, boolean serverHosted, String game) {
        create(peer, mesh, serverHosted, game, Map.of());
    }

    /** As {@link #create(Peer, boolean, boolean, String)}, with the creator's {@code options} for the game. */
    public void create(Peer peer, boolean mesh, boolean serverHosted, String game, Map<String, Object> options) {
        create(peer, mesh, serverHosted, game, options, Visibility.UNLISTED);
    }

    /**
     * As {@link #create(Peer, boolean, boolean, String, Map)}, found as {@code visibility} says: a private lobby's join
     * code reaches its creator in {@link Peer#joined(String, String)}.
     */
    public void create(Peer peer, boolean mesh, boolean serverHosted, String game, Map<String, Object> options,
                       Visibility visibility) {
        create(peer, mesh, serverHosted, game, options, visibility, false, null);
    }

    /**
     * Creates a peer-hosted mesh lobby that closes (each member told {@link Reason#LOBBY_IDLE}) once it has seen no
     * join, leave, seal or message for {@code idleTimeout}: for dialects whose lobbies live only while signaling.
     */
    public void create(Peer peer, Duration idleTimeout) {
        create(peer, true, false, null, Map.of(), Visibility.UNLISTED, false, idleTimeout);
    }

    /**
     * Creates the lobby; with {@code quickPlay} it joins the quick-play pool of its kind (the caller holds the pool's
     * lock). The game is checked before anything is reserved, so an unknown one costs nothing.
     */
    private void create(Peer peer, boolean mesh, boolean serverHosted, String askedGame, Map<String, Object> options,
                        Visibility visibility, boolean quickPlay, Duration idleTimeout) {
        if (!mayEnter(peer)) {
            return;
        }
        if (serverHosted && hosts == null) {
            refuse(peer, Reason.SERVER_HOSTING_UNAVAILABLE);
            return;
        }
        String game = serverHosted ? hosts.game(askedGame) : null;
        if (serverHosted && game == null) {
            refuse(peer, Reason.UNKNOWN_GAME);
            return;
        }
        if (!reserveLobby(peer)) {
            return;
        }
        Lobby lobby = open(peer, mesh, serverHosted, peer.dialect(), game, options, capacity(game), opening -> {
            if (quickPlay) { // before anyone can see the lobby, so every departure is counted
                opening.quickPlayKind = quickPlayKind(peer.dialect(), mesh, serverHosted, game);
            }
            opening.visibility = visibility;
        });
        if (lobby == null) {
            releaseLobby(peer.origin());
            refuse(peer, serverHosted ? Reason.SERVER_HOSTING_UNAVAILABLE : Reason.TOO_MANY_LOBBIES);
            return;
        }
        if (visibility == Visibility.PRIVATE) {
            lobby.code = codes.issue(lobby); // its creator, the first to know its name, is told it as it joins
            directory.coded(lobby.code, lobby.name());
        }
        LOG.info("Lobby {} created by peer {} ({}, {}){}; {} open", lobby.name(), peer.id(),
                mesh ? "mesh" : "client/server", serverHosted ? "server-hosted" : "peer-hosted",
                serverHosted ? " running " + game : "", lobbyCount.get());
        if (idleTimeout != null) {
            lobby.executor.execute(() -> lobby.closeWhenIdle(idleTimeout, idleCheckInterval(idleTimeout), timer));
        }
        if (visibility == Visibility.PUBLIC) {
            lobby.listingKey = nextListingKey();
            listed.put(lobby.listingKey, lobby);
        }
        enter(peer, lobby);
    }

    /**
     * Counts a lobby about to open against the limits, the server's and its creator's address's; false (and the peer
     * told) when either is reached. {@link #releaseLobby} gives both back.
     */
    private boolean reserveLobby(Peer peer) {
        if (lobbyCount.incrementAndGet() > limits.maxLobbies()) {
            lobbyCount.decrementAndGet();
            refuse(peer, Reason.TOO_MANY_LOBBIES);
            return false;
        }
        String origin = peer.origin();
        int perAddress = limits.maxLobbiesPerAddress();
        if (origin != null && perAddress > 0) {
            boolean[] admitted = {false};
            lobbiesByOrigin.compute(origin, (address, open) -> {
                int now = open == null ? 0 : open;
                admitted[0] = now < perAddress;
                return admitted[0] ? now + 1 : (open == null ? null : open);
            });
            if (!admitted[0]) {
                lobbyCount.decrementAndGet();
                LOG.info("Peer {} from {} refused a lobby: {} open from that address", peer.id(), origin, perAddress);
                refuse(peer, Reason.ADDRESS_LOBBY_LIMIT);
                return false;
            }
        }
        return true;
    }

    private void releaseLobby(String origin) {
        // The address's count first: whoever sees the server's count fall may create again from that address.
        if (origin != null && limits.maxLobbiesPerAddress() > 0) {
            lobbiesByOrigin.computeIfPresent(origin, (address, open) -> open > 1 ? open - 1 : null);
        }
        lobbyCount.decrementAndGet();
    }

    /** How many members a lobby of {@code game} (null: peer-hosted) holds: the server's limit, or fewer if the game says. */
    private int capacity(String game) {
        int players = game == null ? 0 : hosts.maxPlayers(game);
        // the server's own peer 1 is a member too
        return players > 0 ? Math.min(limits.maxLobbyPeers(), players + 1) : limits.maxLobbyPeers();
    }

    /**
     * The name of the game a server-hosted lobby asking for {@code game} would run (the default for null), or null when
     * the server offers no such game or cannot host. Any thread.
     */
    public String game(String game) {
        return hosts == null ? null : hosts.game(game);
    }

    /** Whether the server is draining (see {@link #drain}). */
    public boolean draining() {
        return draining;
    }

    /**
     * Opens a server-hosted lobby of {@code game} (a name {@link #game} gave) for players the matchmaker put together:
     * one seat per token in {@code seats}, claimed by a peer that joins by the lobby's name with that token (see
     * {@link Peer#claimSeat}); nobody else may join until {@code hold} has passed, and then the game is told how many
     * did not come, and a lobby nobody came to closes. Returns its name, or null when the server cannot open another
     * lobby now (full, or draining).
     */
    public String openForMatch(Dialect dialect, boolean mesh, String game, Set<String> seats, Duration hold) {
        if (hosts == null) {
            return null;
        }
        return openForMatch(dialect, mesh, true, game, Math.min(limits.maxLobbyPeers(), seats.size() + 1), seats, hold);
    }

    /**
     * Opens a peer-hosted lobby for players the matchmaker put together, seats held as {@link #openForMatch}: the
     * first of them to join becomes its host, peer 1, and the others join it as they would any peer-hosted lobby.
     * The server picks the host this way because a player who has arrived is the one sure to be there; one picked
     * in advance might never come, stranding the others in a lobby without a host.
     */
    public String openForPeerMatch(Dialect dialect, boolean mesh, Set<String> seats, Duration hold) {
        return openForMatch(dialect, mesh, false, null, Math.min(limits.maxLobbyPeers(), seats.size()), seats, hold);
    }

    private String openForMatch(Dialect dialect, boolean mesh, boolean serverHosted, String game, int capacity,
                                Set<String> seats, Duration hold) {
        if (draining) {
            return null;
        }
        if (lobbyCount.incrementAndGet() > limits.maxLobbies()) {
            lobbyCount.decrementAndGet();
            return null;
        }
        Lobby lobby = open(null, mesh, serverHosted, dialect, game, Map.of(), capacity, opening -> {
            opening.reserved = new HashSet<>(seats);
            opening.firstComerHosts = !serverHosted;
        });
        if (lobby == null) {
            lobbyCount.decrementAndGet();
            return null;
        }
        LOG.info("Lobby {} opened for {} matched players ({}); {} open", lobby.name(), seats.size(),
                serverHosted ? "server-hosted " + game : "peer-hosted", lobbyCount.get());
        timer.schedule(() -> lobby.executor.execute(lobby::releaseSeats), hold.toMillis(), TimeUnit.MILLISECONDS);
        return lobby.name();
    }

    /**
     * Makes a lobby under a fresh unguessable name: its executor, the server's host peer when server-hosted (else
     * {@code owner} hosts), the lobby with {@code setUp} applied before anyone can find it, then lists it by name and
     * has the server's peer join first. Null when the host peer could not be made (logged) or, which 95 bits of name
     * make practically impossible, the name was drawn twice at once: the caller gives back what it reserved.
     */
    private Lobby open(Peer owner, boolean mesh, boolean serverHosted, Dialect dialect, String game,
                       Map<String, Object> options, int capacity, Consumer<Lobby> setUp) {
        String name;
        do {
            name = newName();
        } while (lobbies.containsKey(name));
        SerialExecutor executor = new SerialExecutor(workers, "lobby " + name);
        Peer host = owner;
        if (serverHosted) {
            try {
                host = hosts.create(this, name, mesh, dialect, executor, game, options);
            } catch (RuntimeException e) {
                LOG.error("Could not create the server's host peer for a lobby", e);
                return null;
            }
        }
        Lobby lobby = new Lobby(name, mesh, host, owner, this, executor, game, capacity, dialect);
        setUp.accept(lobby);
        if (lobbies.putIfAbsent(name, lobby) != null) {
            return null;
        }
        lobby.inDirectory = true;
        directory.listed(name);
        if (serverHosted) {
            host.lobby = lobby;
            Peer serverPeer = host;
            executor.execute(() -> lobby.join(serverPeer));
        }
        return lobby;
    }

    /** Checking three times per timeout closes an idle lobby at most a third of the timeout late. */
    private static Duration idleCheckInterval(Duration idleTimeout) {
        return Duration.ofMillis(Math.max(10, idleTimeout.toMillis() / 3));
    }

    /**
     * Enters the hostless lobby the client named, creating it if nobody is in it: a mesh without a host, where every
     * member keeps its server id and the lobby closes with its last member (GStreamer's rooms). Hostless lobbies are
     * named per dialect, so a client-chosen name never meets another dialect's lobby.
     */
    public void enterHostless(Peer peer, String name) {
        if (!mayEnter(peer)) {
            return;
        }
        String key = peer.dialect().label() + ":" + name;
        Elsewhere others = elsewhere;
        if (others != null && peer.joinsElsewhere() && lobbies.get(key) == null) {
            peer.remoteLobby = key; // the cluster says whether another node has it, or gives its name to this one
            others.enterHostless(peer, key);
            return;
        }
        enterHostlessKey(peer, key, false);
    }

    /**
     * The cluster gave the name of the hostless lobby {@code key} (see {@link Elsewhere#enterHostless}) to this node:
     * the peer enters it here, creating it if nobody is in it, and other nodes' clients of that name join it here.
     * Any thread.
     */
    public void enterHostlessHere(Peer peer, String key) {
        if (!draining) {
            enterHostlessKey(peer, key, true);
            peer.remoteLobby = null; // only now: it is always in a lobby, or refused, for what it sends meanwhile
        } else {
            peer.remoteLobby = null;
            refuse(peer, Reason.DRAINING);
        }
    }

    /**
     * The lobby refused the peer's join: it is in no lobby again, so a dialect that keeps the connection (the
     * {@code ###!} rooms answer JRB and let the client try another) can create or join another.
     */
    void refused(Peer peer, Lobby lobby, Reason reason) {
        if (peer.lobby == lobby) {
            peer.lobby = null;
        }
        refuse(peer, reason);
    }

    /** The game of the lobby refused the peer's join, in its own words. */
    void refusedByGame(Peer peer, Lobby lobby, String text) {
        if (peer.lobby == lobby) {
            peer.lobby = null;
        }
        refusals.get(Reason.REFUSED_BY_GAME).increment();
        journal.add("refused", peer.origin(), peer.dialect().label() + " peer " + peer.id() + ": refused_by_game: "
                + text);
        peer.refused(Reason.REFUSED_BY_GAME, text);
    }

    /**
     * The server's host peer of a server-hosted lobby closes it for its game, whose {@code text} every member is told
     * (see {@link Reason#CLOSED_BY_GAME}). Any thread.
     */
    public void closeForGame(Peer host, String text) {
        Lobby lobby = host.lobby;
        if (lobby != null) {
            lobby.executor.execute(() -> lobby.closeByGame(text));
        }
    }

    /** From now on every request to create or join a lobby is refused with {@link Reason#DRAINING}. */
    public void drain() {
        draining = true;
        synchronized (quickPlay) {
            for (String kind : List.copyOf(advertised)) {
                advertised.remove(kind);
                directory.quickPlayOpen(kind, false);
            }
        }
        directory.draining();
    }

    /** False, and the peer refused, when it may not create or join a lobby now: the server drains, or it has one. */
    private boolean mayEnter(Peer peer) {
        if (!admitting(peer)) {
            return false;
        }
        if (peer.lobby != null || peer.remoteLobby != null) {
            refuse(peer, Reason.ALREADY_IN_LOBBY);
            return false;
        }
        return true;
    }

    /** False, and the peer refused, once the server drains: then no lobby is created or joined. */
    private boolean admitting(Peer peer) {
        if (draining) {
            refuse(peer, Reason.DRAINING);
            return false;
        }
        return true;
    }

    /** Tells the peer its request was refused, and counts the refusal by reason. */
    void refuse(Peer peer, Reason reason) {
        LongAdder count = refusals.get(reason); // refusals only: the end of a membership is not one
        if (count != null) {
            count.increment();
            journal.add("refused", peer.origin(), peer.dialect().label() + " peer " + peer.id() + ": "
                    + reason.name().toLowerCase(Locale.ROOT));
        }
        peer.refused(reason);
    }

    /** Refusals since the server started, by reason; every reason present. */
    public Map<Reason, Long> refusals() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        refusals.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    /** A peer of {@code dialect} joined a lobby; on the lobby's executor. */
    void joined(Dialect dialect) {
        joins.get(dialect).increment();
    }

    /** Joins since the server started, by the lobby's dialect; every dialect present. */
    public Map<Dialect, Long> joins() {
        Map<Dialect, Long> counts = new EnumMap<>(Dialect.class);
        joins.forEach((dialect, count) -> counts.put(dialect, count.sum()));
        return counts;
    }

    /** Open lobbies by dialect and hosting ("server", "peer" or "hostless"); counts them, so not for a hot path. */
    public Map<List<String>, Integer> lobbyCountByKind() {
        Map<List<String>, Integer> counts = new TreeMap<>(Comparator.comparing(Object::toString));
        for (Lobby lobby : lobbies.values()) {
            counts.merge(List.of(lobby.dialect.label(), lobby.hosting()), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The lobby the peer was entering closed (its last member left) before the peer got in. A hostless lobby the
     * client named opens anew, and a quick-play player is matched again: neither asked for that lobby in particular. A join by
     * name is refused, as the lobby no longer exists.
     */
    void closedBeforeJoin(Peer peer, Lobby lobby) {
        if (!lobby.hostless() && !peer.quickPlaying) {
            refused(peer, lobby, Reason.LOBBY_NOT_FOUND);
            return;
        }
        // Tasks its thread posted meanwhile went to the closed lobby, which ignores a non-member's requests.
        peer.lobby = null;
        Elsewhere others = elsewhere;
        if (lobby.hostless() && others != null) {
            if (peer.joinsElsewhere()) {
                peer.remoteLobby = lobby.name();
                others.enterHostless(peer, lobby.name()); // it may open anew on another node now
            } else {
                refused(peer, lobby, Reason.LOBBY_NOT_FOUND); // a member of another node: its node asks again
            }
        } else if (lobby.hostless()) {
            enterHostlessKey(peer, lobby.name(), false);
        } else {
            quickPlay(peer, lobby.mesh(), lobby.serverHosted(), lobby.game);
        }
    }

    /** @param claimed whether the cluster gave the name to this node: one created here is then the cluster's */
    private void enterHostlessKey(Peer peer, String key, boolean claimed) {
        while (true) {
            Lobby lobby = lobbies.get(key);
            if (lobby != null) {
                enter(peer, lobby);
                return;
            }
            if (!reserveLobby(peer)) {
                if (claimed && !lobbies.containsKey(key)) {
                    directory.unlisted(key, null); // the name this node claimed for it is free again
                }
                return;
            }
            SerialExecutor executor = new SerialExecutor(workers, "hostless lobby " + key);
            Lobby created = new Lobby(key, true, null, peer, this, executor, null, limits.maxLobbyPeers(),
                    peer.dialect());
            if (lobbies.putIfAbsent(key, created) == null) {
                if (claimed) {
                    created.inDirectory = true;
                    directory.claimed(key);
                }
                LOG.info("Hostless lobby {} created by peer {}; {} open", key, peer.id(), lobbyCount.get());
                enter(peer, created);
                return;
            }
            releaseLobby(peer.origin()); // another client created it first: join theirs
        }
    }

    /**
     * Joins the peer to the private lobby whose join code it gave (case ignored). A wrong code is refused
     * {@link Reason#NO_SUCH_CODE} and counted against the peer's address, which after a few in a minute is refused
     * {@link Reason#TOO_MANY_WRONG_CODES} without looking: codes can be typed, not enumerated.
     */
    public void joinByCode(Peer peer, String code) {
        if (!mayEnter(peer)) {
            return;
        }
        long now = System.currentTimeMillis();
        if (!codes.mayGuess(peer.origin(), now)) {
            refuse(peer, Reason.TOO_MANY_WRONG_CODES);
            return;
        }
        Elsewhere others = elsewhere;
        if (others != null && peer.joinsElsewhere() && codes.get(code) == null) {
            peer.remoteLobby = CODE_PENDING + code; // its name is known once the lobby's node says it joined
            others.joinByCode(peer, code.toUpperCase(Locale.ROOT));
            return;
        }
        enterFound(peer, codes.find(code, peer.origin(), now), Reason.NO_SUCH_CODE);
    }

    /** What {@link Peer#lobbyName} says while a join by code waits for another node. */
    private static final String CODE_PENDING = "code:";

    /** No node has the code {@code peer} asked {@link Elsewhere} for: a wrong guess, refused as on one node. */
    public void noSuchCode(Peer peer) {
        peer.remoteLobby = null;
        codes.missed(peer.origin(), System.currentTimeMillis());
        refuse(peer, Reason.NO_SUCH_CODE);
    }

    /** Enters the lobby a name or a code found, if the peer can take part in it; else refuses it {@code notFound}. */
    private void enterFound(Peer peer, Lobby lobby, Reason notFound) {
        if (lobby == null || !peer.canJoin(lobby.dialect)) {
            refuse(peer, notFound);
            return;
        }
        if (!peer.suits(lobby.mesh(), lobby.serverHosted())) {
            refuse(peer, Reason.UNSUITABLE_LOBBY);
            return;
        }
        enter(peer, lobby);
    }

    /**
     * A listing key: the time (ms) times 1024, or one more than the last key if that is higher. Keys of lobbies
     * listed on different nodes interleave by when they were listed, so a page of the whole cluster is oldest first
     * too; two nodes may give the same key, which a page never splits (see {@link #listPublic}). Below 2^53 until the
     * year 2248, so JSON carries it exactly.
     */
    private long nextListingKey() {
        long floor = System.currentTimeMillis() << 10;
        return listingKeys.updateAndGet(last -> Math.max(last + 1, floor));
    }

    /**
     * A page of public lobbies, this node's and in a cluster those of the others ({@link Directory#listedElsewhere}),
     * oldest first, after the listing key {@code after}: those of {@code game} (null: any) whose label holds every
     * entry of {@code label}, with a free seat if {@code free}. Sealed lobbies are never listed, nor are those of
     * another dialect than {@code dialect}. A page never ends between two lobbies of the same key (two nodes may give
     * one), so it may hold one more than {@code limit} now and then. Reads each lobby's published state; any thread.
     */
    public Page listPublic(Dialect dialect, String game, Map<String, String> label, boolean free, long after,
                           int limit) {
        List<PublicLobby> page = new ArrayList<>(Math.min(limit, 64));
        Iterator<Lobby> here = listed.tailMap(after, false).values().iterator();
        Lobby nextHere = here.hasNext() ? here.next() : null;
        List<PublicLobby> others = dialect == Dialect.GODOT4 ? directory.listedElsewhere() : List.of();
        int other = firstAfter(others, after);
        int examined = 0;
        long last = 0;
        while (nextHere != null || other < others.size()) {
            boolean local = nextHere != null
                    && (other >= others.size() || nextHere.listingKey <= others.get(other).number());
            long key = local ? nextHere.listingKey : others.get(other).number();
            if (key != last && (page.size() >= limit || examined >= MAX_EXAMINED)) {
                return new Page(page, last); // full, or a filter that matches little: the client goes on from here
            }
            examined++;
            last = key;
            PublicLobby shown;
            if (local) {
                Lobby lobby = nextHere;
                nextHere = here.hasNext() ? here.next() : null;
                shown = lobby.dialect == dialect ? lobby.listing() : null;
            } else {
                shown = others.get(other++);
            }
            if (shown == null || (game != null && !game.equals(shown.game()))
                    || (free && shown.players() >= shown.capacity())
                    || !shown.label().entrySet().containsAll(label.entrySet())) {
                continue;
            }
            page.add(shown);
        }
        return new Page(page, 0);
    }

    /** The index of the first lobby in {@code sorted} (by number) whose number is above {@code after}. */
    private static int firstAfter(List<PublicLobby> sorted, long after) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted.get(middle).number() <= after) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * This node's public lobbies of {@code dialect} as listings show them, oldest first, at most {@code max}: what
     * other nodes of a cluster list. Any thread.
     */
    public List<PublicLobby> publicLobbies(Dialect dialect, int max) {
        List<PublicLobby> shown = new ArrayList<>();
        for (Lobby lobby : listed.values()) {
            if (shown.size() >= max) {
                break;
            }
            PublicLobby listing = lobby.dialect == dialect ? lobby.listing() : null;
            if (listing != null) {
                shown.add(listing);
            }
        }
        return shown;
    }

    /**
     * A page of public lobbies and where the next begins ({@code next}, passed back as {@code after}), 0 when nothing
     * is left. A page may be short with a {@code next}: one listing looks at {@link #MAX_EXAMINED} lobbies at most.
     */
    public record Page(List<PublicLobby> lobbies, long next) {
    }

    /** The most public lobbies one listing looks at, whatever its filter: what one request may cost. */
    static final int MAX_EXAMINED = 1000;

    /** Joins the peer to an existing lobby by name. */
    public void join(Peer peer, String name) {
        if (!mayEnter(peer)) {
            return;
        }
        Lobby lobby = lobbies.get(name);
        Elsewhere others = elsewhere;
        if (lobby == null && others != null && peer.joinsElsewhere()) {
            peer.remoteLobby = name;
            others.join(peer, name);
            return;
        }
        enterFound(peer, lobby, Reason.LOBBY_NOT_FOUND);
    }

    /** No node has the lobby {@code peer} asked {@link Elsewhere} for: refused as a name this node does not know. */
    public void notFound(Peer peer) {
        peer.remoteLobby = null;
        refuse(peer, Reason.LOBBY_NOT_FOUND);
    }

    /** {@link Elsewhere} could not ask the cluster where {@code peer}'s lobby is: refused at once, saying so. */
    public void unreachable(Peer peer) {
        peer.remoteLobby = null;
        refuse(peer, Reason.CLUSTER_UNREACHABLE);
    }

    /**
     * Puts the peer in an open quick-play lobby of the same kind with a free place, or creates one: matchmaking at its
     * simplest, so that players (and test bots) need no lobby name to meet.
     */
    public void quickPlay(Peer peer, boolean mesh, boolean serverHosted) {
        quickPlay(peer, mesh, serverHosted, null);
    }

    /** Quick play for lobbies of one game (null: the server's default) when server-hosted. */
    public void quickPlay(Peer peer, boolean mesh, boolean serverHosted, String askedGame) {
        if (!mayEnter(peer)) {
            return;
        }
        String game = null;
        if (serverHosted && hosts != null) {
            game = hosts.game(askedGame);
            if (game == null) {
                refuse(peer, Reason.UNKNOWN_GAME);
                return;
            }
        }
        peer.quickPlaying = true;
        Elsewhere others = elsewhere;
        if (others != null && peer.joinsElsewhere()) {
            if (!quickPlayHere(peer, mesh, serverHosted, game, false)) {
                // no seat here: the cluster says where one is, or where a new lobby goes
                peer.remoteLobby = QUICK_PLAY_PENDING;
                others.quickPlay(peer, quickPlayKind(peer.dialect(), mesh, serverHosted, game), mesh, serverHosted,
                        game);
            }
            return;
        }
        quickPlayHere(peer, mesh, serverHosted, game, true);
    }

    /** Between a cluster node's id and the rest of a resume token it issued. */
    static final char NODE_MARK = '~';
    /** What {@link Peer#lobbyName} says while a resume waits for the seat's node. */
    private static final String RESUME_PENDING = "resume";

    /** A resume for another node's seat found nothing there (its node is gone): refused as an unknown token. */
    public void resumeRefused(Peer peer) {
        peer.remoteLobby = null;
        refuse(peer, Reason.RESUME_REFUSED);
    }

    /** What {@link Peer#lobbyName} says while quick play waits for the cluster. */
    private static final String QUICK_PLAY_PENDING = "quick play";

    /**
     * The cluster found no better node for a quick-play peer (see {@link Elsewhere#quickPlay}) than this one: it plays
     * in an open lobby here, or a new one. Any thread.
     */
    public void quickPlayHere(Peer peer, boolean mesh, boolean serverHosted, String game) {
        peer.remoteLobby = null;
        if (admitting(peer)) {
            quickPlayHere(peer, mesh, serverHosted, game, true);
        }
    }

    /**
     * Enters the peer in an open quick-play lobby of this node with a free seat; if there is none, creates one when
     * {@code orCreate}. Returns whether the peer was dealt with (entered, or refused while creating).
     */
    private boolean quickPlayHere(Peer peer, boolean mesh, boolean serverHosted, String game, boolean orCreate) {
        String kind = quickPlayKind(peer.dialect(), mesh, serverHosted, game);
        int seats = quickPlaySeats(game);
        synchronized (quickPlay) {
            Map<Lobby, Integer> open = quickPlay.computeIfAbsent(kind, k -> new LinkedHashMap<>());
            for (Map.Entry<Lobby, Integer> entry : open.entrySet()) {
                if (entry.getValue() < seats && lobbies.get(entry.getKey().name()) == entry.getKey()) {
                    entry.setValue(entry.getValue() + 1);
                    advertise(kind, open, seats);
                    enter(peer, entry.getKey());
                    return true;
                }
            }
            if (!orCreate) {
                return false;
            }
            create(peer, mesh, serverHosted, game, Map.of(), Visibility.UNLISTED, true, null);
            Lobby created = peer.lobby;
            if (created != null) {
                open.put(created, 1);
                advertise(kind, open, seats);
            }
            return true;
        }
    }

    /** Quick-play kinds this node told its directory it has a free seat in; guarded by {@link #quickPlay}. */
    private final Set<String> advertised = new HashSet<>();

    /**
     * Tells the directory whether the kind's pool has a free seat now, when that changed (the caller holds the pool's
     * lock). A draining node advertises none.
     */
    private void advertise(String kind, Map<Lobby, Integer> open, int seats) {
        boolean free = false;
        if (!draining) {
            for (int taken : open.values()) {
                if (taken < seats) {
                    free = true;
                    break;
                }
            }
        }
        if (free ? advertised.add(kind) : advertised.remove(kind)) {
            directory.quickPlayOpen(kind, free);
        }
    }

    /** A quick-play lobby's seats for clients: the quick-play size, or as many as its game takes if that is fewer. */
    private int quickPlaySeats(String game) {
        return game != null && hosts.maxPlayers(game) > 0
                ? Math.min(limits.quickPlaySize(), hosts.maxPlayers(game)) : limits.quickPlaySize();
    }

    private static String quickPlayKind(Dialect dialect, boolean mesh, boolean serverHosted, String game) {
        return dialect.label() + "/" + (mesh ? "mesh" : "client/server") + "/"
                + (serverHosted ? "server/" + game : "peer");
    }

    /**
     * Quick play is matchmaking without properties: the matchmaker sends players whose tickets name none here, to an
     * open quick-play lobby of their server-hosted {@code game} that would then have between {@code min} and
     * {@code max} clients. Holds a seat for each of the {@code players} for {@code hold} (a seat never claimed is
     * then free again), their tokens drawn from {@code tokens} once a lobby is found, and returns the lobby's name;
     * null when no open lobby suits them.
     */
    public String backfillQuickPlay(Dialect dialect, boolean mesh, String game, int players,
                                    Supplier<Set<String>> tokens, int min, int max, Duration hold) {
        if (draining || hosts == null) {
            return null;
        }
        int room = quickPlaySeats(game);
        synchronized (quickPlay) {
            Map<Lobby, Integer> open = quickPlay.get(quickPlayKind(dialect, mesh, true, game));
            if (open == null) {
                return null;
            }
            for (Map.Entry<Lobby, Integer> entry : open.entrySet()) {
                Lobby lobby = entry.getKey();
                int after = entry.getValue() + players;
                if (after <= room && after >= min && after <= max && lobbies.get(lobby.name()) == lobby) {
                    entry.setValue(after);
                    advertise(lobby.quickPlayKind, open, room);
                    Set<String> seats = tokens.get();
                    lobby.executor.execute(() -> lobby.hold(seats));
                    timer.schedule(() -> lobby.executor.execute(() -> {
                        for (int unclaimed = lobby.release(seats); unclaimed > 0; unclaimed--) {
                            quickPlayLeft(lobby, false);
                        }
                    }), hold.toMillis(), TimeUnit.MILLISECONDS);
                    return lobby.name();
                }
            }
        }
        return null;
    }

    /** A quick-play lobby lost a member (its seat frees up) or closed (it leaves the pool). */
    void quickPlayLeft(Lobby lobby, boolean closed) {
        synchronized (quickPlay) {
            Map<Lobby, Integer> open = quickPlay.get(lobby.quickPlayKind);
            if (open == null) {
                return;
            }
            if (closed) {
                open.remove(lobby);
            } else {
                open.computeIfPresent(lobby, (l, seats) -> Math.max(0, seats - 1));
            }
            advertise(lobby.quickPlayKind, open, quickPlaySeats(lobby.game));
        }
    }

    private void enter(Peer peer, Lobby lobby) {
        peer.lobby = lobby;
        lobby.executor.execute(() -> lobby.join(peer));
    }

    /** Seals the peer's lobby: only its host may. */
    public void seal(Peer peer) {
        Lobby lobby = peer.lobby;
        if (lobby == null && peer.remoteLobby != null) {
            elsewhere.seal(peer);
            return;
        }
        if (lobby == null) {
            refuse(peer, Reason.NOT_IN_LOBBY);
            return;
        }
        lobby.executor.execute(() -> lobby.seal(peer, limits.sealTimeout(), timer));
    }

    /** Forwards a signaling payload to another member; {@code destination} is as the sender sees it (1 = host). */
    public void forward(Peer from, Signal kind, int destination, String payload) {
        Lobby lobby = from.lobby;
        if (lobby == null && from.remoteLobby != null) {
            elsewhere.forward(from, kind, destination, payload);
            return;
        }
        if (lobby == null) {
            refuse(from, Reason.NOT_IN_LOBBY);
            return;
        }
        lobby.executor.execute(() -> lobby.forward(from, kind, destination, payload));
    }

    /** A free-form message to every member of the sender's lobby, the sender included. */
    public void broadcast(Peer from, String payload) {
        Lobby lobby = from.lobby;
        if (lobby == null && from.remoteLobby != null) {
            elsewhere.broadcast(from, payload);
            return;
        }
        if (lobby == null) {
            refuse(from, Reason.NOT_IN_LOBBY);
            return;
        }
        lobby.executor.execute(() -> lobby.broadcast(from, payload));
    }

    /**
     * Runs a dialect's task on the peer's lobby executor, after everything the peer asked for before: what it reads
     * there (the members it was told of) is what the peer has been told, and what it sends comes in order.
     */
    public void inOrder(Peer peer, Runnable task) {
        Executor executor = lobbyExecutor(peer);
        if (executor == null) {
            refuse(peer, Reason.NOT_IN_LOBBY);
            return;
        }
        executor.execute(task);
    }

    /**
     * The serial executor of the lobby {@code member} is in, for work of its own that must run in order with the
     * lobby's events (a relay player's stand-in and its WebRTC callbacks); null when it is in none. On that executor.
     */
    public Executor lobbyExecutor(Peer member) {
        Lobby lobby = member.lobby;
        if (lobby == null && member.remoteLobby != null) {
            return elsewhere.executor(member); // its events' executor: what the lobby elsewhere tells it runs there
        }
        return lobby == null ? null : lobby.executor;
    }

    /** The host of {@code by}'s lobby removes one of its members (as the member's lobby id) with a message. */
    public void kick(Peer by, int member, String message) {
        Lobby lobby = by.lobby;
        if (lobby != null) {
            lobby.executor.execute(() -> lobby.kick(by, member, message));
        }
    }

    /**
     * The lobby is closing: nobody can find it any more. Returns whether it was still listed, in which case
     * {@link #released} must follow once its members were told, to give its place back.
     */
    boolean unlisted(Lobby lobby) {
        this.listed.remove(lobby.listingKey, lobby);
        if (lobby.code != null) {
            codes.release(lobby.code, lobby);
        }
        boolean listed = lobbies.remove(lobby.name(), lobby);
        if (listed && lobby.inDirectory) {
            directory.unlisted(lobby.name(), lobby.code);
        }
        if (lobby.quickPlayKind != null) {
            quickPlayLeft(lobby, true);
        }
        return listed;
    }

    /**
     * A closed lobby's place is given back (the server's count, its creator's address's), after its members were
     * told why: whoever waits for the count to fall (a draining server) finds them already closed for that reason.
     */
    void released(Lobby lobby) {
        releaseLobby(lobby.origin);
    }

    private String newName() {
        char[] name = new char[NAME_LENGTH];
        for (int i = 0; i < name.length; i++) {
            name[i] = NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length()));
        }
        return new String(name);
    }

    /** The address the registered peer {@code id} connects from (see {@link Peer#origin}), or null. */
    public String originOf(int id) {
        Peer peer = peers.get(id);
        return peer == null ? null : peer.origin();
    }

    public int peerCount() {
        return peerCount.get();
    }

    public int lobbyCount() {
        return lobbyCount.get();
    }

    /** Open lobbies per dialect, sorted by dialect; counts the lobbies, so it is for /stats, not a hot path. */
    public Map<String, Integer> lobbyCountByDialect() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Lobby lobby : lobbies.values()) {
            counts.merge(lobby.dialect.label(), 1, Integer::sum);
        }
        return counts;
    }

    public boolean lobbyExists(String name) {
        return lobbies.containsKey(name);
    }

    /** The ids members see each other under (host as 1), in join order, read on the lobby's executor. */
    public CompletableFuture<List<Integer>> members(String name) {
        Lobby lobby = lobbies.get(name);
        if (lobby == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Integer>> result = new CompletableFuture<>();
        lobby.executor.execute(() -> result.complete(lobby.memberIds()));
        return result;
    }

    /** How an operator's action on a lobby went. */
    public enum Outcome {
        DONE,
        /** No open lobby has that number (it may have closed meanwhile). */
        NO_SUCH_LOBBY,
        /** The lobby has no member with that id. */
        NO_SUCH_MEMBER,
        /** The action does not apply to that member (the server's own host peer). */
        NOT_ALLOWED
    }

    /**
     * The oldest {@code limit} open lobbies as the admin page shows them, each read on its own executor; completes
     * once every one has answered (a lobby that closed meanwhile is left out).
     */
    public CompletableFuture<List<LobbyInfo>> list(int limit) {
        List<Lobby> oldest = lobbies.values().stream().sorted(Comparator.comparingLong(lobby -> lobby.number))
                .limit(limit).toList();
        List<CompletableFuture<LobbyInfo>> infos = new ArrayList<>(oldest.size());
        for (Lobby lobby : oldest) {
            CompletableFuture<LobbyInfo> info = new CompletableFuture<>();
            lobby.executor.execute(() -> info.complete(lobby.info()));
            infos.add(info);
        }
        return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenApply(done -> infos.stream()
                .map(CompletableFuture::join).filter(Objects::nonNull).toList());
    }

    /** The operator closes lobby {@code number}: its members are told {@link Reason#CLOSED_BY_OPERATOR}. */
    public CompletableFuture<Outcome> close(long number) {
        return onLobby(number, Lobby::closeByOperator);
    }

    /** The operator seals lobby {@code number}, as its owner could: it takes no one and closes after the seal time. */
    public CompletableFuture<Outcome> seal(long number) {
        return onLobby(number, lobby -> lobby.sealByOperator(limits.sealTimeout(), timer));
    }

    /** The operator removes member {@code member} (its lobby id) of lobby {@code number}. */
    public CompletableFuture<Outcome> kick(long number, int member) {
        return onLobby(number, lobby -> lobby.kickByOperator(member));
    }

    private CompletableFuture<Outcome> onLobby(long number, Function<Lobby, Outcome> action) {
        for (Lobby lobby : lobbies.values()) { // an operator's action, rare: a scan is cheaper than another index
            if (lobby.number == number) {
                CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                lobby.executor.execute(() -> outcome.complete(action.apply(lobby)));
                return outcome;
            }
        }
        return CompletableFuture.completedFuture(Outcome.NO_SUCH_LOBBY);
    }
}

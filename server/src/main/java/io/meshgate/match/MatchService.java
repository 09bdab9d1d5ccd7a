package io.meshgate.match;

import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matchmaker as clients use it: takes their tickets, runs a {@link Matchmaker} cycle every {@code cycle} on its own
 * thread ({@code meshgate-matchmaker}), opens a lobby for each match with its players' seats held, and
 * tells each ticket's owner where it stands and how it ended. A connection's tickets end with it.
 *
 * <p>{@link #submit}, {@link #cancel} and {@link #forget} may be called from any thread; they only post. {@link Seeker}
 * callbacks run on the matchmaker's thread (in a cluster whose matchmaker another node runs: on the thread that
 * hears from it, one at a time) and must not block.
 */
public final class MatchService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MatchService.class);

    /** How a ticket's owner hears of it; callbacks one at a time, on the thread the class comment names. */
    public interface Seeker {
        /** The ticket waits: {@code playersInReach} could play with it now; it settles for fewer in {@code settlesInMs}. */
        void waiting(int ticket, int playersInReach, long settlesInMs);

        /** The ticket's party is gathering: {@code members} of its {@code size} have submitted theirs. */
        void gathering(int ticket, int members, int size);

        /**
         * The ticket matched: join {@code lobby} by its name, showing {@code seat}, within the seat hold; in a
         * {@code peerHosted} lobby the first matched player to join is its host.
         */
        void matched(int ticket, String lobby, String seat, boolean peerHosted);

        /** The ticket ended unmatched: {@code state} is {@code cancelled}, {@code expired} or {@code refused}. */
        void ended(int ticket, String state, String reason);
    }

    /**
     * The service's bounds: tickets one connection, one client address (0: no such bound; the lobbies matches open
     * have no creator, so this is what keeps one address from filling the server with them) and the whole server may
     * have waiting, the cycle, how long matched players' seats are held, and the matchmaker's own rules.
     */
    public record Settings(int maxPerConnection, int maxPerAddress, int maxTickets, Duration cycle, Duration hold,
                           Matchmaker.Settings rules) {
    }

    /**
     * What a client asks: the game (null: the default), properties, skill and sizes as {@link Ticket} describes, and
     * for a party its key (a secret its members share, {@link #MIN_PARTY_KEY} characters or more) and size; a player
     * alone has no key and size 1. {@code peerHosted}: the game runs in the players' engines, so {@code game} is any
     * name its players agree on and the lobby is peer-hosted, a {@code mesh} or not.
     */
    public record Request(String game, Map<String, String> properties, double skill, int min, int max,
                          int countMultiple, String party, int partySize, boolean peerHosted, boolean mesh) {

        /** Whether another party member's request asks for the same match. */
        boolean agrees(Request other) {
            return Objects.equals(game, other.game) && properties.equals(other.properties) && min == other.min
                    && max == other.max && countMultiple == other.countMultiple && partySize == other.partySize
                    && peerHosted == other.peerHosted && mesh == other.mesh;
        }
    }

    /**
     * The matchmaker's pool a request belongs in: tickets meet only within one. Server-hosted games are named by the
     * server, so a peer-hosted game of the same name, or of the other lobby mode, must not share their pool.
     */
    private String pool(Request request) {
        if (!request.peerHosted()) {
            return (request.mesh() ? "server-mesh:" : "server:") + lobbies.game(request.game());
        }
        return (request.mesh() ? "peer-mesh:" : "peer:") + (request.game() == null ? "" : request.game());
    }

    /** A party key must be hard to guess: whoever knows it joins the party. */
    public static final int MIN_PARTY_KEY = 16;

    /**
     * A ticket's owner (a {@link Peer} of this node, or the member key of another node's client), how it hears, its
     * own number for the ticket, and the address it connects from (null if none).
     */
    private record Owner(Object key, Seeker seeker, int number, String origin) {
    }

    /**
     * The cluster's matchmaker, when this node is one of a cluster: another node may run it (then this node's
     * tickets go there), and the lobby of a match may open on another node. Called from any thread; must not block.
     */
    public interface Elsewhere {
        /** Whether another node runs the cluster's matchmaker now. */
        boolean remote();

        /** Sends the ticket to the node that runs the matchmaker; {@code seeker} hears back, in order. */
        void submit(Peer peer, Seeker seeker, int number, Request request);

        /** Withdraws the peer's ticket {@code number} there, if it sent one. */
        void cancel(Peer peer, int number);

        /** The peer's connection is gone: its tickets there are withdrawn. */
        void forget(Peer peer);

        /**
         * Opens a match's lobby (server-hosted {@code game}, or peer-hosted when it is null) with a seat held per
         * token, on the node placement picks; {@code opened} is given its name, or null if none could open.
         */
        void open(boolean mesh, String game, Set<String> seats, Duration hold, Consumer<String> opened);
    }

    /** A ticket this node's matchmaker gave up (see {@link #release}): its owner submits it where it goes now. */
    public record Released(Peer peer, Seeker seeker, int number, Request request) {
    }

    private volatile Elsewhere elsewhere;

    /** In a cluster: the cluster's matchmaker from now on; set once, before clients come. */
    public void elsewhere(Elsewhere elsewhere) {
        this.elsewhere = elsewhere;
    }

    /**
     * One ticket for the matchmaker: a player's, or a whole party's, whose members gather first. Lives on the
     * matchmaker's thread.
     */
    private static final class Entry {
        final long id;
        final Request request;
        final long since;
        final List<Owner> owners = new ArrayList<>();
        final List<Double> skills = new ArrayList<>();
        /** In the matchmaker; a party only once all its members are here. */
        boolean submitted;
        int toldReach = -1;

        Entry(long id, Request request, long since) {
            this.id = id;
            this.request = request;
            this.since = since;
        }

        int size() {
            return request.party() == null ? 1 : request.partySize();
        }
    }

    private final LobbyService lobbies;
    private final Settings settings;
    private final Matchmaker matchmaker;
    private final ScheduledExecutorService thread;
    private final LongConsumer cycleTimes;
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Entry> entries = new HashMap<>();
    /** Parties by key, gathering or submitted. */
    private final Map<String, Entry> parties = new HashMap<>();
    /** Each owner's tickets by its own numbers. */
    private final Map<Object, Map<Integer, Entry>> byPeer = new HashMap<>();
    /** Tickets waiting by their owners' address; an address leaves the map with its last. */
    private final Map<String, Integer> byAddress = new HashMap<>();
    private final LongAdder matches = new LongAdder();
    private volatile int waiting;

    /** @param cycleTimes receives each cycle's duration in nanoseconds, for metrics */
    public MatchService(LobbyService lobbies, Settings settings, LongConsumer cycleTimes) {
        this.lobbies = lobbies;
        this.settings = settings;
        this.matchmaker = new Matchmaker(settings.rules());
        this.cycleTimes = cycleTimes;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread matchmakerThread = new Thread(runnable, "meshgate-matchmaker");
            matchmakerThread.setDaemon(true);
            return matchmakerThread;
        });
        long every = settings.cycle().toMillis();
        thread.scheduleWithFixedDelay(this::cycle, every, every, TimeUnit.MILLISECONDS);
    }

    /** The most tickets one connection may have waiting. */
    public int maxPerConnection() {
        return settings.maxPerConnection();
    }

    /** Tickets waiting now (a gathering party's members included). */
    public int waiting() {
        return waiting;
    }

    /** Matches made since the start. */
    public long matches() {
        return matches.sum();
    }

    /**
     * Submits the ticket {@code number} of {@code peer} (a number the client chose), to this node's matchmaker or, in
     * a cluster whose matchmaker another node runs, to that one. A bad or unwelcome ticket is refused through
     * {@code seeker} with the reason; a party member's waits, gathering, until its party is whole.
     */
    public void submit(Peer peer, Seeker seeker, int number, Request request) {
        Elsewhere others = elsewhere;
        if (others != null && others.remote()) {
            thread.execute(() -> { // what this node alone can tell is checked here; the rest where it goes
                String invalid = invalid(peer, request);
                if (invalid != null) {
                    seeker.ended(number, "refused", invalid);
                } else {
                    others.submit(peer, seeker, number, request);
                }
            });
            return;
        }
        submitHere(peer, seeker, number, request);
    }

    /** Submits to this node's matchmaker: it runs the cluster's, or there is no cluster. */
    public void submitHere(Peer peer, Seeker seeker, int number, Request request) {
        long submitted = System.nanoTime();
        thread.execute(() -> add(new Owner(peer, seeker, number, lobbies.originOf(peer.id())), request, submitted,
                invalid(peer, request)));
    }

    /**
     * Submits the ticket of a client of another node, {@code member} ({@code <node>/<peer id>}), which that node
     * checked as {@link #submit} does, to this node's matchmaker, the cluster's.
     */
    public void submitFor(String member, Seeker seeker, int number, Request request, String origin) {
        long submitted = System.nanoTime();
        thread.execute(() -> add(new Owner(member, seeker, number, origin), request, submitted,
                invalid(null, request)));
    }

    /** On the matchmaker's thread: the ticket joins its party or the matchmaker, unless {@code refusal} says no. */
    private void add(Owner owner, Request request, long submitted, String refusal) {
        Seeker seeker = owner.seeker();
        int number = owner.number();
        if (refusal == null) {
            refusal = refusal(owner);
        }
        Entry entry = request.party() == null ? null : parties.get(request.party());
        if (refusal == null && entry != null) {
            refusal = entry.submitted ? "That party is already matching"
                    : !entry.request.agrees(request) ? "Party members must ask for the same game, properties and sizes"
                    : entry.owners.stream().anyMatch(member -> member.key().equals(owner.key()))
                    ? "This connection is in that party already" : null;
        }
        if (refusal != null) {
            seeker.ended(number, "refused", refusal);
            return;
        }
        if (entry == null) {
            entry = new Entry(ids.incrementAndGet(), request, submitted);
            entries.put(entry.id, entry);
            if (request.party() != null) {
                parties.put(request.party(), entry);
            }
        }
        entry.owners.add(owner);
        entry.skills.add(request.skill());
        byPeer.computeIfAbsent(owner.key(), p -> new HashMap<>()).put(number, entry);
        if (owner.origin() != null) {
            byAddress.merge(owner.origin(), 1, Integer::sum);
        }
        updateWaiting();
        if (entry.owners.size() == entry.size()) {
            double skill = entry.skills.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            matchmaker.add(new Ticket(entry.id, pool(request), request.properties(), skill,
                    request.min(), request.max(), request.countMultiple(), entry.size(), entry.since));
            entry.submitted = true;
        } else {
            for (Owner member : entry.owners) {
                member.seeker().gathering(member.number(), entry.owners.size(), entry.size());
            }
        }
    }

    /**
     * What is wrong with the request whatever else waits ({@code peer}: the client's, if of this node), or null. A
     * draining node takes no ticket of its own clients; another node's it matches until the matchmaker moves on.
     */
    private String invalid(Peer peer, Request request) {
        if (peer != null && lobbies.draining()) {
            return "Server is draining, join another";
        }
        if (peer != null && peer.lobbyName() != null) {
            return "Already in a lobby";
        }
        if (!request.peerHosted() && lobbies.game(request.game()) == null) {
            return "No such game on this server";
        }
        if (request.party() != null && (request.party().length() < MIN_PARTY_KEY || request.partySize() < 2)) {
            return "A party needs a key of " + MIN_PARTY_KEY + " characters or more and a size of 2 or more";
        }
        return Ticket.check(request.min(), request.max(), request.countMultiple(),
                request.party() == null ? 1 : request.partySize(), request.skill(), request.properties());
    }

    /** Whether the owner may have one more ticket waiting, by its own, its address's and the server's bounds. */
    private String refusal(Owner owner) {
        int number = owner.number();
        Map<Integer, Entry> own = byPeer.getOrDefault(owner.key(), Map.of());
        if (own.containsKey(number)) {
            return "Ticket " + number + " is already waiting";
        }
        if (own.size() >= settings.maxPerConnection()) {
            return "At most " + settings.maxPerConnection() + " tickets per connection";
        }
        if (settings.maxPerAddress() > 0 && owner.origin() != null
                && byAddress.getOrDefault(owner.origin(), 0) >= settings.maxPerAddress()) {
            return "Too many tickets from your address";
        }
        if (waiting >= settings.maxTickets()) {
            return "The matchmaker is full, try again later";
        }
        return null;
    }

    /** Withdraws the peer's ticket {@code number}, telling it (and its party, which is withdrawn with it). */
    public void cancel(Peer peer, int number) {
        cancelFor(peer, number);
        Elsewhere others = elsewhere;
        if (others != null) {
            others.cancel(peer, number);
        }
    }

    /** Withdraws ticket {@code number} of {@code owner} (a peer, or another node's member key) from this matchmaker. */
    public void cancelFor(Object owner, int number) {
        thread.execute(() -> {
            Entry entry = byPeer.getOrDefault(owner, Map.of()).get(number);
            if (entry != null) {
                withdraw(entry, owner, true);
            }
        });
    }

    /** The peer's connection is gone: its tickets are withdrawn, its parties' other members told. */
    public void forget(Peer peer) {
        forgetOwner(peer);
        Elsewhere others = elsewhere;
        if (others != null) {
            others.forget(peer);
        }
    }

    /** Withdraws every ticket of {@code owner} (a peer, or another node's member key), telling its parties. */
    public void forgetOwner(Object owner) {
        thread.execute(() -> withdrawAll(owner));
    }

    /**
     * Withdraws the tickets of every owner that {@code gone} says is gone (another node's, whose node left), telling
     * their parties' other members. Looks at every owner: for what a heartbeat finds, not for each disconnect.
     */
    public void forgetIf(Predicate<Object> gone) {
        thread.execute(() -> {
            for (Object owner : List.copyOf(byPeer.keySet())) {
                if (gone.test(owner)) {
                    withdrawAll(owner);
                }
            }
        });
    }

    private void withdrawAll(Object owner) {
        Map<Integer, Entry> own = byPeer.get(owner);
        if (own != null) {
            for (Entry entry : List.copyOf(own.values())) {
                withdraw(entry, owner, false);
            }
        }
    }

    /**
     * Empties this node's matchmaker, telling nobody: another node runs the cluster's now. Completes with the tickets
     * of this node's own clients, for them to go there; those of other nodes' clients go there from their nodes.
     */
    public CompletableFuture<List<Released>> release() {
        CompletableFuture<List<Released>> released = new CompletableFuture<>();
        thread.execute(() -> {
            List<Released> ours = new ArrayList<>();
            for (Entry entry : List.copyOf(entries.values())) {
                end(entry);
                if (entry.submitted) {
                    matchmaker.remove(entry.id);
                }
                for (Owner owner : entry.owners) {
                    if (owner.key() instanceof Peer peer) {
                        ours.add(new Released(peer, owner.seeker(), owner.number(), entry.request));
                    }
                }
            }
            updateWaiting();
            released.complete(ours);
        });
        return released;
    }

    /** Takes the entry out; its owners are told it was cancelled, {@code by} only if {@code tellThem}. */
    private void withdraw(Entry entry, Object by, boolean tellThem) {
        end(entry);
        if (entry.submitted) {
            matchmaker.remove(entry.id);
        }
        updateWaiting(); // before anyone hears of it: what they hear and what /stats says agree
        for (Owner owner : entry.owners) {
            if (!owner.key().equals(by)) {
                owner.seeker().ended(owner.number(), "cancelled", "A party member left");
            } else if (tellThem) {
                owner.seeker().ended(owner.number(), "cancelled", null);
            }
        }
    }

    /** Forgets the entry everywhere but in the matchmaker. */
    private void end(Entry entry) {
        entries.remove(entry.id);
        if (entry.request.party() != null) {
            parties.remove(entry.request.party(), entry);
        }
        for (Owner owner : entry.owners) {
            Map<Integer, Entry> own = byPeer.get(owner.key());
            if (own != null) {
                own.remove(owner.number(), entry);
                if (own.isEmpty()) {
                    byPeer.remove(owner.key());
                }
            }
            if (owner.origin() != null) {
                byAddress.computeIfPresent(owner.origin(), (address, count) -> count > 1 ? count - 1 : null);
            }
        }
    }

    private void updateWaiting() {
        int players = 0;
        for (Entry entry : entries.values()) {
            players += entry.owners.size();
        }
        waiting = players;
    }

    private void cycle() {
        try {
            long start = System.nanoTime();
            Matchmaker.Outcome outcome = matchmaker.cycle(start);
            String expiry = "No match within " + settings.rules().lifetime().toSeconds() + " s";
            for (Ticket ticket : outcome.expired()) {
                Entry entry = entries.get(ticket.id());
                end(entry);
                entry.owners.forEach(owner -> owner.seeker().ended(owner.number(), "expired", expiry));
            }
            for (Entry party : List.copyOf(parties.values())) { // parties that never gathered expire too
                if (!party.submitted && start - party.since >= settings.rules().lifetime().toNanos()) {
                    end(party);
                    party.owners.forEach(owner -> owner.seeker().ended(owner.number(), "expired",
                            "The party did not gather within " + settings.rules().lifetime().toSeconds() + " s"));
                }
            }
            for (Match match : outcome.matches()) {
                open(match);
            }
            for (Matchmaker.Standing standing : outcome.standings()) {
                Entry entry = entries.get(standing.ticket().id());
                if (backfill(entry, standing.ticket())) {
                    continue;
                }
                if (entry.toldReach != standing.compatiblePlayers()) {
                    entry.toldReach = standing.compatiblePlayers();
                    long settlesIn = Math.max(0, (standing.settleAtNanos() - start) / 1_000_000);
                    entry.owners.forEach(owner -> owner.seeker().waiting(owner.number(), standing.compatiblePlayers(),
                            settlesIn));
                }
            }
            updateWaiting();
            cycleTimes.accept(System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.error("Matchmaker cycle failed; it runs again next cycle", e);
        }
    }

    /** Opens the match's lobby and tells its players their seats; if none can open, their tickets are refused. */
    private void open(Match match) {
        Map<Owner, String> seats = new LinkedHashMap<>();
        Request request = null;
        for (Ticket ticket : match.tickets()) {
            Entry entry = entries.get(ticket.id());
            end(entry);
            request = entry.request; // one pool: every ticket of the match asks for the same game, hosting and mode
            for (Owner owner : entry.owners) {
                seats.put(owner, newSeat());
            }
        }
        boolean peerHosted = request.peerHosted();
        String game = peerHosted ? null : lobbies.game(request.game());
        Elsewhere others = elsewhere;
        if (others != null) { // the node with the most room opens it, and answers later
            others.open(request.mesh(), game, new HashSet<>(seats.values()), settings.hold(),
                    lobby -> thread.execute(() -> opened(seats, lobby, peerHosted)));
            return;
        }
        opened(seats, openHere(request.mesh(), game, new HashSet<>(seats.values()), settings.hold()), peerHosted);
    }

    /**
     * Opens a match's lobby on this node: server-hosted running {@code game}, or peer-hosted if it is null. Returns its
     * name, or null when none can open. Any thread.
     */
    public String openHere(boolean mesh, String game, Set<String> seats, Duration hold) {
        return game == null ? lobbies.openForPeerMatch(Dialect.GODOT4, mesh, seats, hold)
                : lobbies.openForMatch(Dialect.GODOT4, mesh, game, seats, hold);
    }

    /** On the matchmaker's thread: tells the match's players their seats, or that no lobby could open. */
    private void opened(Map<Owner, String> seats, String lobby, boolean peerHosted) {
        if (lobby == null) {
            seats.keySet().forEach(owner -> owner.seeker().ended(owner.number(), "refused",
                    "The server cannot open a lobby now, try again"));
            return;
        }
        matches.increment();
        seats.forEach((owner, seat) -> owner.seeker().matched(owner.number(), lobby, seat, peerHosted));
    }

    /**
     * Quick play is this matchmaker's special case without properties: a waiting ticket that names none, for a
     * server-hosted game, is sent to an open quick-play lobby of that game where it fits its sizes, with a seat held
     * for each of its players. Team tickets ({@code count_multiple} above 1) wait for a match of their own.
     */
    private boolean backfill(Entry entry, Ticket ticket) {
        Request request = entry.request;
        if (request.peerHosted() || !request.properties().isEmpty() || request.countMultiple() != 1) {
            return false;
        }
        List<String> seats = new ArrayList<>(entry.owners.size());
        String lobby = lobbies.backfillQuickPlay(Dialect.GODOT4, request.mesh(), lobbies.game(request.game()),
                entry.owners.size(), () -> { // drawn only for a lobby found: most cycles find none
                    entry.owners.forEach(owner -> seats.add(newSeat()));
                    return new HashSet<>(seats);
                }, ticket.min(), ticket.max(), settings.hold());
        if (lobby == null) {
            return false;
        }
        end(entry);
        matchmaker.remove(entry.id);
        matches.increment();
        for (int i = 0; i < seats.size(); i++) {
            Owner owner = entry.owners.get(i);
            owner.seeker().matched(owner.number(), lobby, seats.get(i), false);
        }
        return true;
    }

    /** A seat token: 128 random bits, URL-safe, so that a seat can be claimed over any path and guessed on none. */
    private String newSeat() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

package io.meshgate.match;

import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matchmaker as clients use it: takes their tickets, runs a {@link Matchmaker} cycle every {@code cycle} on its own
 * thread ({@code meshgate-matchmaker}), opens a server-hosted lobby for each match with its players' seats held, and
 * tells each ticket's owner where it stands and how it ended. A connection's tickets end with it.
 *
 * <p>{@link #submit}, {@link #cancel} and {@link #forget} may be called from any thread; they only post. {@link Seeker}
 * callbacks run on the matchmaker's thread and must not block.
 */
public final class MatchService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MatchService.class);

    /** How a ticket's owner hears of it; callbacks on the matchmaker's thread. */
    public interface Seeker {
        /** The ticket waits: {@code playersInReach} could play with it now; it settles for fewer in {@code settlesInMs}. */
        void waiting(int ticket, int playersInReach, long settlesInMs);

        /** The ticket matched: join {@code lobby} by its name, showing {@code seat}, within the seat hold. */
        void matched(int ticket, String lobby, String seat);

        /** The ticket ended unmatched: {@code state} is {@code cancelled}, {@code expired} or {@code refused}. */
        void ended(int ticket, String state, String reason);
    }

    /**
     * The service's bounds: tickets one connection and the whole server may have waiting, the cycle, how long matched
     * players' seats are held, and the matchmaker's own rules.
     */
    public record Settings(int maxPerConnection, int maxTickets, Duration cycle, Duration hold,
                           Matchmaker.Settings rules) {
    }

    /** A ticket's owner and its own number for it. */
    private record Owner(Peer peer, Seeker seeker, int number) {
    }

    private final LobbyService lobbies;
    private final Settings settings;
    private final Matchmaker matchmaker;
    private final ScheduledExecutorService thread;
    private final LongConsumer cycleTimes;
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Owner> owners = new HashMap<>();
    /** Each connection's tickets by its own numbers. */
    private final Map<Peer, Map<Integer, Long>> byPeer = new HashMap<>();
    /** What each waiting ticket was last told of its reach, so that it hears only of changes. */
    private final Map<Long, Integer> toldReach = new HashMap<>();
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

    /** Tickets waiting now. */
    public int waiting() {
        return waiting;
    }

    /** Matches made since the start. */
    public long matches() {
        return matches.sum();
    }

    /**
     * Submits the ticket {@code number} of {@code peer} (a number the client chose): for {@code game} (null: the
     * default), with properties, skill and sizes as {@link Ticket} describes. A bad or unwelcome ticket is refused
     * through {@code seeker} with the reason.
     */
    public void submit(Peer peer, Seeker seeker, int number, String game, Map<String, String> properties,
                       double skill, int min, int max, int countMultiple) {
        long submitted = System.nanoTime();
        thread.execute(() -> {
            String refusal = refusal(peer, number, game, properties, skill, min, max, countMultiple);
            if (refusal != null) {
                seeker.ended(number, "refused", refusal);
                return;
            }
            long id = ids.incrementAndGet();
            matchmaker.add(new Ticket(id, lobbies.game(game), properties, skill, min, max, countMultiple, 1,
                    submitted));
            owners.put(id, new Owner(peer, seeker, number));
            byPeer.computeIfAbsent(peer, p -> new HashMap<>()).put(number, id);
            waiting = matchmaker.size();
        });
    }

    private String refusal(Peer peer, int number, String game, Map<String, String> properties, double skill,
                           int min, int max, int countMultiple) {
        if (lobbies.draining()) {
            return "Server is draining, join another";
        }
        if (peer.lobbyName() != null) {
            return "Already in a lobby";
        }
        if (lobbies.game(game) == null) {
            return "No such game on this server";
        }
        String invalid = Ticket.check(min, max, countMultiple, 1, skill, properties);
        if (invalid != null) {
            return invalid;
        }
        Map<Integer, Long> own = byPeer.getOrDefault(peer, Map.of());
        if (own.containsKey(number)) {
            return "Ticket " + number + " is already waiting";
        }
        if (own.size() >= settings.maxPerConnection()) {
            return "At most " + settings.maxPerConnection() + " tickets per connection";
        }
        if (matchmaker.size() >= settings.maxTickets()) {
            return "The matchmaker is full, try again later";
        }
        return null;
    }

    /** Withdraws the peer's ticket {@code number}, telling it; nothing if it is not waiting. */
    public void cancel(Peer peer, int number) {
        thread.execute(() -> {
            Long id = byPeer.getOrDefault(peer, Map.of()).get(number);
            if (id != null) {
                Owner owner = end(id);
                matchmaker.remove(id);
                waiting = matchmaker.size();
                owner.seeker().ended(number, "cancelled", null);
            }
        });
    }

    /** The peer's connection is gone: its tickets are withdrawn, without a word to it. */
    public void forget(Peer peer) {
        thread.execute(() -> {
            Map<Integer, Long> own = byPeer.remove(peer);
            if (own != null) {
                for (long id : own.values()) {
                    owners.remove(id);
                    toldReach.remove(id);
                    matchmaker.remove(id);
                }
                waiting = matchmaker.size();
            }
        });
    }

    private Owner end(long id) {
        Owner owner = owners.remove(id);
        toldReach.remove(id);
        Map<Integer, Long> own = byPeer.get(owner.peer());
        own.remove(owner.number());
        if (own.isEmpty()) {
            byPeer.remove(owner.peer());
        }
        return owner;
    }

    private void cycle() {
        try {
            long start = System.nanoTime();
            Matchmaker.Outcome outcome = matchmaker.cycle(start);
            for (Ticket ticket : outcome.expired()) {
                Owner owner = end(ticket.id());
                owner.seeker().ended(owner.number(), "expired", "No match within "
                        + settings.rules().lifetime().toSeconds() + " s");
            }
            for (Match match : outcome.matches()) {
                open(match);
            }
            for (Matchmaker.Standing standing : outcome.standings()) {
                long id = standing.ticket().id();
                Integer told = toldReach.put(id, standing.compatiblePlayers());
                if (told == null || told != standing.compatiblePlayers()) {
                    Owner owner = owners.get(id);
                    owner.seeker().waiting(owner.number(), standing.compatiblePlayers(),
                            Math.max(0, (standing.settleAtNanos() - start) / 1_000_000));
                }
            }
            waiting = matchmaker.size();
            cycleTimes.accept(System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.error("Matchmaker cycle failed; it runs again next cycle", e);
        }
    }

    /** Opens the match's lobby and tells its players; if none can open, their tickets are refused. */
    private void open(Match match) {
        Map<Owner, String> seats = new LinkedHashMap<>();
        for (Ticket ticket : match.tickets()) {
            seats.put(end(ticket.id()), newSeat());
        }
        List<Owner> placed = new ArrayList<>(seats.keySet());
        String lobby = lobbies.openForMatch(Dialect.GODOT4, match.game(), new HashSet<>(seats.values()),
                settings.hold());
        if (lobby == null) {
            for (Owner owner : placed) {
                owner.seeker().ended(owner.number(), "refused", "The server cannot open a lobby now, try again");
            }
            return;
        }
        matches.increment();
        for (Owner owner : placed) {
            owner.seeker().matched(owner.number(), lobby, seats.get(owner));
        }
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

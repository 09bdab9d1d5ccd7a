package io.meshgate.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisCommandTimeoutException;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.SerialExecutor;
import io.meshgate.match.MatchService;
import io.meshgate.wire.cluster.MatchLobby;
import io.meshgate.wire.cluster.MatchNotice;
import io.meshgate.wire.cluster.MatchTicket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one matchmaker. The node that holds the matchmaker's lease in Redis runs it for the clients of every
 * node, so tickets of any node meet and each ticket gets one decision; the other nodes send it their clients'
 * tickets and tell their clients what it answers, and a match's lobby opens on the node with the most room. When the
 * lease passes to another node (its holder died, drained, or lost Redis for longer than the expiry), each node sends
 * its own clients' waiting tickets to the new holder, which matches them from then on.
 *
 * <p>Everything about this node's tickets elsewhere and about the lease runs on one serial executor, so a client
 * hears of its tickets in the order the matchmaker spoke.
 */
public final class RemoteMatches implements MatchService.Elsewhere {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMatches.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a node asked to open a match's lobby has to answer before this node opens it itself. */
    private static final long OPEN_TIMEOUT_MS = 2000;
    /** The most seats and the longest hold a node opens a lobby with when another asks: what a matchmaker gives. */
    private static final int MAX_SEATS = 4096;
    private static final long MAX_HOLD_MS = 10 * 60_000;

    private final Cluster cluster;
    private final LobbyService lobbies;
    private final MatchService matches;
    private final Executor pool;
    private final ScheduledExecutorService timer;
    private final SerialExecutor events;
    /** This node's clients' tickets at the matchmaker elsewhere, by peer id, then the client's number; on events. */
    private final Map<Integer, Map<Integer, Sent>> sent = new HashMap<>();
    /** The node that runs the matchmaker as this node last saw it; null: none (then this node matches its own). */
    private volatile String holder;
    /** Match lobbies another node was asked to open, by the number the request carries. */
    private final Map<Long, Opening> opening = new ConcurrentHashMap<>();
    private final AtomicLong openings = new AtomicLong();

    /** A ticket sent to the matchmaker node {@code to}; {@code cancelled} once its client withdrew it. */
    private static final class Sent {
        final Peer peer;
        final MatchService.Seeker seeker;
        final int number;
        final MatchService.Request request;
        final String to;
        boolean cancelled;

        Sent(Peer peer, MatchService.Seeker seeker, int number, MatchService.Request request, String to) {
            this.peer = peer;
            this.seeker = seeker;
            this.number = number;
            this.request = request;
            this.to = to;
        }
    }

    /** A match lobby asked of another node: what it is, and who waits for its name. */
    private record Opening(boolean mesh, String game, Set<String> seats, Duration hold, Consumer<String> opened) {
    }

    /** @param pool runs lobby openings asked by other nodes; {@code timer} only posts */
    public RemoteMatches(Cluster cluster, LobbyService lobbies, MatchService matches, Executor pool,
                         ScheduledExecutorService timer) {
        this.cluster = cluster;
        this.lobbies = lobbies;
        this.matches = matches;
        this.pool = pool;
        this.timer = timer;
        this.events = new SerialExecutor(pool, "tickets at the cluster's matchmaker");
        cluster.receive(MatchTicket.class, this::ticketArrived);
        cluster.receive(MatchNotice.class, (from, notice) -> events.execute(() -> told(from, notice)));
        cluster.receive(MatchLobby.class, this::lobbyAsked);
        cluster.watch(view -> events.execute(() -> watch(view)));
    }

    private String self() {
        return cluster.nodeId();
    }

    private boolean leads(String node) {
        return node == null || node.equals(self());
    }

    @Override
    public boolean remote() {
        return !leads(holder);
    }

    /** On events: the lease moved, or did not; either way a node gone takes its tickets here with it. */
    private void watch(Cluster.View view) {
        String previous = holder;
        String now = view.matchmaker();
        if (leads(now)) {
            Set<String> live = new HashSet<>();
            view.nodes().forEach(node -> live.add(node.id()));
            matches.forgetIf(owner -> owner instanceof String member && !live.contains(nodeOf(member)));
        }
        if (Objects.equals(previous, now)) {
            return;
        }
        holder = now;
        LOG.info("Cluster: the matchmaker runs on {} now{}", now == null ? "each node for itself" : "node " + now,
                previous == null ? "" : " (before: node " + previous + ")");
        if (leads(previous) && !leads(now)) {
            // this node's own clients' tickets go to the new holder; other nodes send theirs themselves
            matches.release().thenAccept(released -> events.execute(() -> released.forEach(ticket ->
                    send(ticket.peer(), ticket.seeker(), ticket.number(), ticket.request()))));
        }
        for (Map<Integer, Sent> tickets : List.copyOf(sent.values())) {
            for (Sent ticket : List.copyOf(tickets.values())) {
                forgetSent(ticket);
                if (ticket.cancelled) {
                    ticket.seeker.ended(ticket.number, "cancelled", null); // its holder went before it answered
                } else {
                    send(ticket.peer, ticket.seeker, ticket.number, ticket.request);
                }
            }
        }
    }

    @Override
    public void submit(Peer peer, MatchService.Seeker seeker, int number, MatchService.Request request) {
        events.execute(() -> send(peer, seeker, number, request));
    }

    /** On events: to the matchmaker, wherever it runs now. */
    private void send(Peer peer, MatchService.Seeker seeker, int number, MatchService.Request request) {
        String to = holder;
        if (leads(to)) {
            matches.submitHere(peer, seeker, number, request); // the lease came here meanwhile
            return;
        }
        Map<Integer, Sent> own = sent.computeIfAbsent(peer.id(), id -> new HashMap<>());
        if (own.containsKey(number)) {
            seeker.ended(number, "refused", "Ticket " + number + " is already waiting");
            return;
        }
        if (own.size() >= matches.maxPerConnection()) { // the matchmaker counts them too; this bounds what waits here
            seeker.ended(number, "refused", "At most " + matches.maxPerConnection() + " tickets per connection");
            return;
        }
        Sent ticket = new Sent(peer, seeker, number, request, to);
        own.put(number, ticket);
        String properties;
        try {
            properties = JSON.writeValueAsString(request.properties());
        } catch (Exception e) {
            throw new IllegalStateException("properties are strings", e);
        }
        cluster.send(to, new MatchTicket(MatchTicket.SUBMIT, member(peer), number, lobbies.originOf(peer.id()),
                request.game(), properties, request.skill(), request.min(), request.max(), request.countMultiple(),
                request.party(), request.partySize(), request.peerHosted(), request.mesh()))
                .whenComplete((delivered, failure) -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (failure != null && !(cause instanceof RedisCommandTimeoutException)) {
                        events.execute(() -> {
                            if (forgetSent(ticket)) {
                                seeker.ended(number, "refused", "The matchmaker cannot be reached now, try again");
                            }
                        });
                    }
                    // not delivered: its node is gone, and the ticket goes to the next holder once the lease moves
                });
    }

    /** Drops the ticket from those sent, if it is still there; on events. */
    private boolean forgetSent(Sent ticket) {
        Map<Integer, Sent> own = sent.get(ticket.peer.id());
        if (own == null || own.get(ticket.number) != ticket) {
            return false;
        }
        own.remove(ticket.number);
        if (own.isEmpty()) {
            sent.remove(ticket.peer.id());
        }
        return true;
    }

    @Override
    public void cancel(Peer peer, int number) {
        events.execute(() -> {
            Sent ticket = sent.getOrDefault(peer.id(), Map.of()).get(number);
            if (ticket != null && ticket.peer == peer && !ticket.cancelled) {
                ticket.cancelled = true; // its answer, "cancelled", ends it here
                cluster.send(ticket.to, MatchTicket.withdraw(member(peer), number));
            }
        });
    }

    @Override
    public void forget(Peer peer) {
        events.execute(() -> {
            Map<Integer, Sent> own = sent.get(peer.id());
            if (own == null) {
                return;
            }
            Set<String> nodes = new HashSet<>();
            for (Iterator<Sent> it = own.values().iterator(); it.hasNext(); ) {
                Sent ticket = it.next();
                if (ticket.peer == peer) {
                    nodes.add(ticket.to);
                    it.remove();
                }
            }
            if (own.isEmpty()) {
                sent.remove(peer.id());
            }
            nodes.forEach(node -> cluster.send(node, MatchTicket.withdraw(member(peer), 0)));
        });
    }

    /** On events: what the matchmaker says of a ticket of this node's client; a former holder's word is ignored. */
    private void told(String from, MatchNotice notice) {
        int id = peerOf(notice.member());
        Sent ticket = sent.getOrDefault(id, Map.of()).get(notice.number());
        if (ticket == null || !ticket.to.equals(from)) {
            return;
        }
        MatchService.Seeker seeker = ticket.seeker;
        switch (notice.state()) {
            case MatchNotice.WAITING -> seeker.waiting(notice.number(), notice.count(), notice.later());
            case MatchNotice.GATHERING -> seeker.gathering(notice.number(), notice.count(), (int) notice.later());
            case MatchNotice.MATCHED -> {
                forgetSent(ticket);
                seeker.matched(notice.number(), notice.lobby(), notice.seat(), notice.peerHosted());
            }
            case MatchNotice.ENDED -> {
                forgetSent(ticket);
                seeker.ended(notice.number(), notice.ending(), notice.reason());
            }
            default -> LOG.debug("Cluster: unknown match notice {} from {}", notice.state(), from);
        }
    }

    /**
     * On Redis's client thread: a ticket of another node's client, for this node's matchmaker. One that comes here
     * after the lease moved on is dropped: its node sends it to the new holder once it sees the move.
     */
    private void ticketArrived(String from, MatchTicket ticket) {
        if (!leads(holder) || !ticket.member().startsWith(from + "/")) {
            return;
        }
        String member = ticket.member();
        switch (ticket.action()) {
            case MatchTicket.SUBMIT -> {
                Map<String, String> properties;
                try {
                    properties = ticket.properties() == null ? Map.of()
                            : JSON.readValue(ticket.properties(), new TypeReference<Map<String, String>>() { });
                } catch (Exception e) {
                    LOG.info("Cluster: a ticket of {} has unreadable properties ({})", member, e.getMessage());
                    return;
                }
                matches.submitFor(member, new Notices(from, member), ticket.number(), new MatchService.Request(
                        ticket.game(), properties, ticket.skill(), ticket.min(), ticket.max(), ticket.countMultiple(),
                        ticket.party(), ticket.partySize(), ticket.peerHosted(), ticket.mesh()), ticket.origin());
            }
            case MatchTicket.CANCEL -> matches.cancelFor(member, ticket.number());
            case MatchTicket.FORGET -> matches.forgetOwner(member);
            default -> LOG.debug("Cluster: unknown ticket action {} from {}", ticket.action(), from);
        }
    }

    /** How a ticket of another node's client hears of it: as notices to its node. On the matchmaker's thread. */
    private final class Notices implements MatchService.Seeker {
        private final String node;
        private final String member;

        Notices(String node, String member) {
            this.node = node;
            this.member = member;
        }

        private void tell(MatchNotice notice) {
            cluster.send(node, notice); // a node that is gone takes its tickets with it (see watch)
        }

        @Override
        public void waiting(int ticket, int playersInReach, long settlesInMs) {
            tell(new MatchNotice(member, ticket, MatchNotice.WAITING, playersInReach, settlesInMs, null, null, false,
                    null, null));
        }

        @Override
        public void gathering(int ticket, int members, int size) {
            tell(new MatchNotice(member, ticket, MatchNotice.GATHERING, members, size, null, null, false, null,
                    null));
        }

        @Override
        public void matched(int ticket, String lobby, String seat, boolean peerHosted) {
            tell(new MatchNotice(member, ticket, MatchNotice.MATCHED, 0, 0, lobby, seat, peerHosted, null, null));
        }

        @Override
        public void ended(int ticket, String state, String reason) {
            tell(new MatchNotice(member, ticket, MatchNotice.ENDED, 0, 0, null, null, false, state, reason));
        }
    }

    @Override
    public void open(boolean mesh, String game, Set<String> seats, Duration hold, Consumer<String> opened) {
        String node = Placement.newLobby(cluster.view().nodes(), self(), lobbies.draining());
        if (node.equals(self())) {
            opened.accept(matches.openHere(mesh, game, seats, hold));
            return;
        }
        long number = openings.incrementAndGet();
        Opening asked = new Opening(mesh, game, seats, hold, opened);
        opening.put(number, asked);
        LOG.debug("Cluster: a match's lobby opens on node {}", node);
        cluster.send(node, new MatchLobby(MatchLobby.OPEN, number, game, mesh, game == null, String.join(",", seats),
                hold.toMillis(), null)).whenComplete((delivered, failure) -> {
                    if (failure != null || !delivered) {
                        openHere(number); // that node is gone, or Redis is: this one opens it
                    }
                });
        timer.schedule(() -> openHere(number), OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Opens the lobby asked of another node here instead, if nobody answered for it yet. */
    private void openHere(long number) {
        Opening asked = opening.remove(number);
        if (asked != null) {
            pool.execute(() -> asked.opened().accept(matches.openHere(asked.mesh(), asked.game(), asked.seats(),
                    asked.hold())));
        }
    }

    /** On Redis's client thread: the matchmaker asks this node to open a lobby, or a node answers this one. */
    private void lobbyAsked(String from, MatchLobby message) {
        switch (message.action()) {
            case MatchLobby.OPEN -> pool.execute(() -> {
                String seatList = message.seats() == null ? "" : message.seats();
                Set<String> seats = new HashSet<>(List.of(seatList.split(",")));
                seats.remove("");
                String lobby = null;
                if (!seats.isEmpty() && seats.size() <= MAX_SEATS && message.holdMs() >= 0
                        && message.holdMs() <= MAX_HOLD_MS) {
                    lobby = matches.openHere(message.mesh(), message.peerHosted() ? null : message.game(), seats,
                            Duration.ofMillis(message.holdMs()));
                }
                cluster.send(from, MatchLobby.answer(message, lobby));
            });
            case MatchLobby.OPENED -> {
                Opening asked = opening.remove(message.match());
                if (asked != null) {
                    asked.opened().accept(message.lobby());
                }
            }
            case MatchLobby.FAILED -> openHere(message.match());
            default -> LOG.debug("Cluster: unknown match lobby message {} from {}", message.action(), from);
        }
    }

    private String member(Peer peer) {
        return self() + "/" + peer.id();
    }

    private static String nodeOf(String member) {
        int slash = member.indexOf('/');
        return slash < 0 ? member : member.substring(0, slash);
    }

    private static int peerOf(String member) {
        try {
            return Integer.parseInt(member.substring(member.indexOf('/') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

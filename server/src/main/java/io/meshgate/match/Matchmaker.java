package io.meshgate.match;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts waiting tickets together, one cycle at a time. Tickets meet when they name the same game and equal properties
 * and their skills are close: within the skill window of each, a window that starts at {@code skillWindow} and widens
 * by {@code skillWindowGrowth} per second waited, up to {@code maxSkillWindow}. The oldest ticket is served first: a
 * match is built around it from the closest compatible tickets, as large as every ticket in it accepts (parties kept
 * whole), and made at once when it reaches the oldest ticket's {@code max}; smaller, down to its {@code min}, only once
 * that ticket has waited {@code settleAfter}. A ticket that waited {@code lifetime} expires.
 *
 * <p>Not thread-safe: one thread adds, removes and cycles (the matchmaker's own).
 */
public final class Matchmaker {

    /** How the matchmaker trades waiting for a better match; see the class comment. */
    public record Settings(Duration settleAfter, double skillWindow, double skillWindowGrowth, double maxSkillWindow,
                           Duration lifetime) {
    }

    /**
     * Where a waiting ticket stands after a cycle: the players (its own included) of tickets in its pool within its
     * skill window now, and when it will settle for fewer than its {@code max}.
     */
    public record Standing(Ticket ticket, int compatiblePlayers, long settleAtNanos) {
    }

    /** What one cycle did: the matches made, the tickets that expired, and where every ticket still waiting stands. */
    public record Outcome(List<Match> matches, List<Ticket> expired, List<Standing> standings) {
    }

    /** Tickets meet only within one pool: one game, equal properties. Its hash is kept: every add and remove asks. */
    private static final class Pool {
        final String game;
        final Map<String, String> properties;
        private final int hash;

        Pool(String game, Map<String, String> properties) {
            this.game = game;
            this.properties = properties;
            this.hash = game.hashCode() * 31 + properties.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Pool pool && hash == pool.hash && game.equals(pool.game)
                    && properties.equals(pool.properties);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A ticket while it waits: its pool, and its place in the pool's skill order during a cycle. */
    private static final class Waiting {
        final Ticket ticket;
        final Pool pool;
        int position;

        Waiting(Ticket ticket, Pool pool) {
            this.ticket = ticket;
            this.pool = pool;
        }
    }

    private static final Comparator<Waiting> BY_SKILL = Comparator.<Waiting>comparingDouble(w -> w.ticket.skill())
            .thenComparingLong(w -> w.ticket.id());

    /** The closest compatible tickets considered around an anchor: ample for any match of at most 64 players. */
    static final int CANDIDATES = 4 * Ticket.MAX_PLAYERS;

    private final Settings settings;
    /** In the order added, which is the order served: oldest first. */
    private final Map<Long, Waiting> tickets = new LinkedHashMap<>();
    private final Map<Pool, Map<Long, Waiting>> pools = new HashMap<>();

    public Matchmaker(Settings settings) {
        this.settings = settings;
    }

    /**
     * Adds a ticket that {@link Ticket#check} accepted, as it is submitted: tickets are served in the order added, so
     * add them in the order of their {@code submittedNanos}. An id already waiting is replaced.
     */
    public void add(Ticket ticket) {
        remove(ticket.id());
        Waiting waiting = new Waiting(ticket, new Pool(ticket.game(), ticket.properties()));
        tickets.put(ticket.id(), waiting);
        pools.computeIfAbsent(waiting.pool, pool -> new LinkedHashMap<>()).put(ticket.id(), waiting);
    }

    /** Takes a waiting ticket out (cancelled, or its connection dropped); false if it was not waiting. */
    public boolean remove(long id) {
        Waiting waiting = tickets.remove(id);
        if (waiting == null) {
            return false;
        }
        leavePool(waiting);
        return true;
    }

    private void leavePool(Waiting waiting) {
        Map<Long, Waiting> members = pools.get(waiting.pool);
        members.remove(waiting.ticket.id());
        if (members.isEmpty()) {
            pools.remove(waiting.pool);
        }
    }

    /** Tickets waiting. */
    public int size() {
        return tickets.size();
    }

    /** The waiting ticket {@code id}, or null. */
    public Ticket get(long id) {
        Waiting waiting = tickets.get(id);
        return waiting == null ? null : waiting.ticket;
    }

    /** The skill window of {@code ticket} at {@code now}. */
    double window(Ticket ticket, long now) {
        double waited = Math.max(0, now - ticket.submittedNanos()) / 1e9;
        return Math.min(settings.maxSkillWindow(), settings.skillWindow() + settings.skillWindowGrowth() * waited);
    }

    /** Expires old tickets, makes every match it can, and says where the others stand. */
    public Outcome cycle(long now) {
        List<Ticket> expired = new ArrayList<>();
        long lifetime = settings.lifetime().toNanos();
        for (Iterator<Waiting> waiting = tickets.values().iterator(); waiting.hasNext(); ) {
            Waiting ticket = waiting.next();
            if (now - ticket.ticket.submittedNanos() >= lifetime) {
                waiting.remove();
                leavePool(ticket);
                expired.add(ticket.ticket);
            }
        }
        List<Match> matches = new ArrayList<>();
        List<Standing> standings = new ArrayList<>();
        for (Map.Entry<Pool, Map<Long, Waiting>> pool : pools.entrySet()) {
            cycle(pool.getKey().game, pool.getValue().values(), now, matches, standings);
        }
        for (Match match : matches) {
            for (Ticket ticket : match.tickets()) {
                remove(ticket.id());
            }
        }
        return new Outcome(matches, expired, standings);
    }

    /** One pool's cycle: anchors oldest first, each matched with the closest compatible tickets that remain. */
    private void cycle(String game, Collection<Waiting> byAge, long now, List<Match> matches,
                       List<Standing> standings) {
        Waiting[] sorted = byAge.toArray(Waiting[]::new);
        Arrays.sort(sorted, BY_SKILL);
        Ticket[] bySkill = new Ticket[sorted.length];
        double[] skills = new double[sorted.length];
        long[] players = new long[sorted.length + 1]; // players[i]: the players of bySkill[0..i)
        for (int i = 0; i < sorted.length; i++) {
            sorted[i].position = i;
            bySkill[i] = sorted[i].ticket;
            skills[i] = bySkill[i].skill();
            players[i + 1] = players[i] + bySkill[i].size();
        }
        Free free = new Free(bySkill.length);
        for (Waiting waiting : byAge) {
            Ticket anchor = waiting.ticket;
            int at = waiting.position;
            if (free.taken(at)) {
                continue;
            }
            double window = window(anchor, now);
            List<Integer> group = group(anchor, at, bySkill, free, now, window);
            if (group != null) {
                List<Ticket> chosen = new ArrayList<>(group.size());
                int total = 0;
                for (int index : group) {
                    free.take(index);
                    chosen.add(bySkill[index]);
                    total += bySkill[index].size();
                }
                matches.add(new Match(game, chosen, total));
            } else {
                int low = lowerBound(skills, anchor.skill() - window);
                int high = upperBound(skills, anchor.skill() + window);
                standings.add(new Standing(anchor, (int) (players[high] - players[low]),
                        anchor.submittedNanos() + settings.settleAfter().toNanos()));
            }
        }
    }

    /**
     * The positions of a match around the anchor at {@code at}, the anchor first, or null when none is due: the
     * largest size every chosen ticket accepts, made of the closest compatible tickets, at the anchor's {@code max} or,
     * after the settle wait, smaller.
     */
    private List<Integer> group(Ticket anchor, int at, Ticket[] bySkill, Free free, long now, double window) {
        // Most anchors need only their max's worth of the closest tickets; look further only when those do not fit.
        int few = Math.min(CANDIDATES, 2 * anchor.max());
        List<Integer> near = near(anchor, at, bySkill, free, now, window, few);
        List<Integer> found = group(anchor, at, near, bySkill, now);
        if (found == null && near.size() == few && few < CANDIDATES) {
            found = group(anchor, at, near(anchor, at, bySkill, free, now, window, CANDIDATES), bySkill, now);
        }
        return found;
    }

    /** Up to {@code limit} free tickets compatible with the anchor, closest in skill first. */
    private List<Integer> near(Ticket anchor, int at, Ticket[] bySkill, Free free, long now, double window,
                               int limit) {
        List<Integer> near = new ArrayList<>(Math.min(limit, 16));
        int left = free.before(at);
        int right = free.after(at);
        while (near.size() < limit && (left >= 0 || right >= 0)) {
            double toLeft = left >= 0 ? anchor.skill() - bySkill[left].skill() : Double.MAX_VALUE;
            double toRight = right >= 0 ? bySkill[right].skill() - anchor.skill() : Double.MAX_VALUE;
            boolean goLeft = toLeft <= toRight;
            double distance = goLeft ? toLeft : toRight;
            if (distance > window) {
                break; // the closest remaining is outside the anchor's window: so is every other
            }
            int index = goLeft ? left : right;
            if (distance <= window(bySkill[index], now)) {
                near.add(index);
            }
            if (goLeft) {
                left = free.before(index);
            } else {
                right = free.after(index);
            }
        }
        return near;
    }

    /** The group {@link #group(Ticket, int, Ticket[], Free, long, double)} describes, from these candidates. */
    private List<Integer> group(Ticket anchor, int at, List<Integer> near, Ticket[] bySkill, long now) {
        boolean settled = now - anchor.submittedNanos() >= settings.settleAfter().toNanos();
        for (int size = anchor.max(); size >= Math.max(anchor.min(), anchor.size()); size--) {
            if (!anchor.accepts(size)) {
                continue;
            }
            List<Integer> chosen = fill(size - anchor.size(), size, near, bySkill);
            if (chosen != null) {
                if (size < anchor.max() && !settled) {
                    return null; // the largest it can have now is smaller than it asked for: wait for more players
                }
                chosen.add(0, at);
                return chosen;
            }
        }
        return null;
    }

    /**
     * Tickets among {@code near} (closest first) that accept a match of {@code size} and together bring exactly
     * {@code needed} players, preferring the closest; null if none do.
     */
    private static List<Integer> fill(int needed, int size, List<Integer> near, Ticket[] bySkill) {
        List<Integer> eligible = new ArrayList<>();
        for (int index : near) {
            Ticket ticket = bySkill[index];
            if (ticket.accepts(size) && ticket.size() <= needed) {
                eligible.add(index);
            }
        }
        // Closest first, taking what fits: enough when the rest can fill the gap, as it always can with singles.
        List<Integer> chosen = new ArrayList<>();
        int missing = needed;
        for (int index : eligible) {
            if (missing == 0) {
                break;
            }
            if (bySkill[index].size() <= missing) {
                chosen.add(index);
                missing -= bySkill[index].size();
            }
        }
        if (missing == 0) {
            return chosen;
        }
        return exactly(needed, eligible, bySkill);
    }

    /** Subset sum over the eligible parties' sizes, earlier (closer) tickets preferred; null if {@code needed} cannot be made. */
    private static List<Integer> exactly(int needed, List<Integer> eligible, Ticket[] bySkill) {
        // reach[k][s]: the first k eligible tickets can make s players; each row only grows
        boolean[][] reach = new boolean[eligible.size() + 1][needed + 1];
        reach[0][0] = true;
        for (int k = 0; k < eligible.size(); k++) {
            int size = bySkill[eligible.get(k)].size();
            for (int s = 0; s <= needed; s++) {
                reach[k + 1][s] = reach[k][s] || (s >= size && reach[k][s - size]);
            }
        }
        if (!reach[eligible.size()][needed]) {
            return null;
        }
        List<Integer> chosen = new ArrayList<>();
        int s = needed;
        for (int k = eligible.size(); k > 0 && s > 0; k--) {
            if (!reach[k - 1][s]) { // ticket k-1 is needed to make s
                chosen.add(0, eligible.get(k - 1));
                s -= bySkill[eligible.get(k - 1)].size();
            }
        }
        return chosen;
    }

    private static int lowerBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int upperBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Which positions of a pool are still free, with the nearest free one on either side found in near-constant
     * time (skip pointers with path compression), so that a pool whose middle is matched away costs no rescans.
     */
    private static final class Free {
        private final int[] next;
        private final int[] previous;

        Free(int size) {
            next = new int[size + 2];
            previous = new int[size + 2];
            for (int i = 0; i < size + 2; i++) {
                next[i] = i;
                previous[i] = i;
            }
        }

        boolean taken(int index) {
            return find(next, index + 1) != index + 1;
        }

        void take(int index) {
            next[index + 1] = index + 2;
            previous[index + 1] = index;
        }

        /** The free position after {@code index}, or -1. */
        int after(int index) {
            int found = find(next, index + 2) - 1;
            return found >= next.length - 2 ? -1 : found;
        }

        /** The free position before {@code index}, or -1. */
        int before(int index) {
            return find(previous, index) - 1;
        }

        private static int find(int[] links, int index) {
            int root = index;
            while (links[root] != root) {
                root = links[root];
            }
            while (links[index] != root) {
                int up = links[index];
                links[index] = root;
                index = up;
            }
            return root;
        }
    }
}

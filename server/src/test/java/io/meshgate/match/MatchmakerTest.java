package io.meshgate.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The matchmaker's rules, on a clock the test turns: plain examples, then random pools checked against a brute force. */
class MatchmakerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Matchmaker.Settings SETTINGS = new Matchmaker.Settings(Duration.ofSeconds(10), 100, 50, 500,
            Duration.ofSeconds(120));

    private final Matchmaker matchmaker = new Matchmaker(SETTINGS);
    private long nextId = 1;

    private Ticket ticket(Map<String, String> properties, double skill, int min, int max, int multiple, int size,
                          long at) {
        Ticket ticket = new Ticket(nextId++, "arena", properties, skill, min, max, multiple, size, at);
        assertNull(Ticket.check(min, max, multiple, size, skill, properties));
        matchmaker.add(ticket);
        return ticket;
    }

    private Ticket single(int min, int max, long at) {
        return ticket(Map.of("region", "eu"), 1000, min, max, 1, 1, at);
    }

    @Test
    void fourPlayersAskingForTwoToFourGetOneMatchOfFourAtOnce() {
        for (int i = 0; i < 4; i++) {
            single(2, 4, 0);
        }
        Matchmaker.Outcome outcome = matchmaker.cycle(SECOND);
        assertEquals(1, outcome.matches().size());
        assertEquals(4, outcome.matches().get(0).players());
        assertEquals(0, matchmaker.size());
    }

    @Test
    void threePlayersAskingForTwoToFourWaitThenPlayTogetherNotAsTwo() {
        for (int i = 0; i < 3; i++) {
            single(2, 4, 0);
        }
        Matchmaker.Outcome early = matchmaker.cycle(SECOND);
        assertTrue(early.matches().isEmpty(), "a fourth player may come");
        assertEquals(3, early.standings().size());
        assertEquals(3, early.standings().get(0).compatiblePlayers(), "each is told how many could play with it");
        assertEquals(10 * SECOND, early.standings().get(0).settleAtNanos(), "and when it settles for fewer");
        Matchmaker.Outcome settled = matchmaker.cycle(10 * SECOND);
        assertEquals(List.of(3), settled.matches().stream().map(Match::players).toList(),
                "three, not two and a lonely third (nakama#1167)");
    }

    @Test
    void differentPropertiesOrGamesNeverMeet() {
        ticket(Map.of("region", "eu"), 1000, 2, 2, 1, 1, 0);
        ticket(Map.of("region", "us"), 1000, 2, 2, 1, 1, 0);
        matchmaker.add(new Ticket(nextId++, "tictactoe", Map.of("region", "eu"), 1000, 2, 2, 1, 1, 0));
        assertTrue(matchmaker.cycle(20 * SECOND).matches().isEmpty());
    }

    @Test
    void theSkillWindowWidensWithWaiting() {
        ticket(Map.of(), 1000, 2, 2, 1, 1, 0);
        ticket(Map.of(), 1300, 2, 2, 1, 1, 0);
        assertTrue(matchmaker.cycle(SECOND).matches().isEmpty(), "300 apart, windows of 150");
        assertTrue(matchmaker.cycle(3 * SECOND).matches().isEmpty(), "windows of 250");
        assertEquals(1, matchmaker.cycle(4 * SECOND).matches().size(), "windows of 300");
    }

    @Test
    void partiesStayWholeAndFillExactly() {
        Ticket party = ticket(Map.of(), 1000, 2, 4, 1, 3, 0);
        Ticket partyOfTwo = ticket(Map.of(), 1000, 2, 4, 1, 2, SECOND);
        Ticket one = ticket(Map.of(), 1000, 2, 4, 1, 1, 2 * SECOND);
        Matchmaker.Outcome outcome = matchmaker.cycle(3 * SECOND);
        assertEquals(1, outcome.matches().size());
        Match match = outcome.matches().get(0);
        assertEquals(List.of(party, one), match.tickets(), "3 + 1: the pair would overflow, and is not split");
        assertEquals(4, match.players());
        assertEquals(Set.of(partyOfTwo.id()), Set.copyOf(outcome.standings().stream().map(s -> s.ticket().id())
                .toList()));
    }

    @Test
    void countMultiplesKeepTeamsEven() {
        for (int i = 0; i < 3; i++) {
            ticket(Map.of(), 1000, 2, 4, 2, 1, 0);
        }
        Matchmaker.Outcome outcome = matchmaker.cycle(10 * SECOND);
        assertEquals(List.of(2), outcome.matches().stream().map(Match::players).toList(), "3 is no multiple of 2");
        assertEquals(1, matchmaker.size());
    }

    @Test
    void removedTicketsNeverMatchAndOldOnesExpire() {
        Ticket gone = single(2, 2, 0);
        single(2, 2, 0);
        assertTrue(matchmaker.remove(gone.id()));
        assertTrue(matchmaker.cycle(SECOND).matches().isEmpty());
        Matchmaker.Outcome late = matchmaker.cycle(120 * SECOND);
        assertEquals(1, late.expired().size());
        assertEquals(0, matchmaker.size());
    }

    @Test
    void checksTicketsAsNakamaDoesAndBoundsThem() {
        assertEquals("min must be 2 or more", Ticket.check(1, 4, 1, 1, 0, Map.of()));
        assertEquals("max must be at least min", Ticket.check(4, 2, 1, 1, 0, Map.of()));
        assertEquals("count_multiple must divide both min and max", Ticket.check(2, 5, 2, 1, 0, Map.of()));
        assertEquals("count_multiple must divide both min and max", Ticket.check(2, 4, 0, 1, 0, Map.of()));
        assertEquals("a party must have 1 to max players", Ticket.check(2, 4, 1, 5, 0, Map.of()));
        assertEquals("skill must be a finite number", Ticket.check(2, 4, 1, 1, Double.NaN, Map.of()));
        assertEquals("max must be at most 64", Ticket.check(2, 65, 1, 1, 0, Map.of()));
        assertNull(Ticket.check(2, 8, 2, 2, 1500, Map.of("mode", "duo")));
    }

    /** Random pools over random time: every invariant holds, and nothing that could match is left waiting. */
    @Test
    void randomPoolsKeepEveryRule() {
        Random random = new Random(12345);
        for (int round = 0; round < 200; round++) {
            Matchmaker pool = new Matchmaker(SETTINGS);
            Map<Long, Ticket> all = new HashMap<>();
            Set<Long> cancelled = new HashSet<>();
            Set<Long> matched = new HashSet<>();
            long now = 0;
            for (int step = 0; step < 12; step++) {
                int arrivals = random.nextInt(5);
                for (int i = 0; i < arrivals; i++) {
                    int multiple = random.nextInt(4) == 0 ? 2 : 1;
                    int min = multiple * (1 + random.nextInt(2));
                    min = Math.max(2, min);
                    int max = min + multiple * random.nextInt(3);
                    int size = 1 + (random.nextInt(4) == 0 ? random.nextInt(Math.min(3, max)) : 0);
                    Map<String, String> properties = Map.of("mode", random.nextBoolean() ? "a" : "b");
                    double skill = 800 + random.nextInt(8) * 60;
                    if (Ticket.check(min, max, multiple, size, skill, properties) != null) {
                        continue;
                    }
                    Ticket ticket = new Ticket(all.size() + 1L, "arena", properties, skill, min, max, multiple,
                            size, now);
                    all.put(ticket.id(), ticket);
                    pool.add(ticket);
                }
                if (random.nextInt(4) == 0 && !all.isEmpty()) {
                    long id = 1 + random.nextInt(all.size());
                    if (pool.remove(id)) {
                        cancelled.add(id);
                    }
                }
                now += (1 + random.nextInt(4)) * SECOND;
                Matchmaker.Outcome outcome = pool.cycle(now);
                for (Match match : outcome.matches()) {
                    check(match, now, pool, matched, cancelled);
                }
                checkNothingLeftThatCouldMatch(pool, all, matched, cancelled, now);
            }
        }
    }

    private static void check(Match match, long now, Matchmaker pool, Set<Long> matched, Set<Long> cancelled) {
        Ticket anchor = match.tickets().get(0);
        int players = 0;
        for (Ticket ticket : match.tickets()) {
            assertTrue(matched.add(ticket.id()), "a ticket in two matches: " + ticket);
            assertTrue(!cancelled.contains(ticket.id()), "a cancelled ticket matched: " + ticket);
            assertEquals(anchor.properties(), ticket.properties());
            assertEquals(anchor.game(), ticket.game());
            double distance = Math.abs(ticket.skill() - anchor.skill());
            assertTrue(distance <= pool.window(anchor, now) && distance <= pool.window(ticket, now),
                    "skills too far apart: " + match);
            players += ticket.size();
        }
        assertEquals(players, match.players());
        for (Ticket ticket : match.tickets()) {
            assertTrue(ticket.accepts(players), ticket + " does not accept " + players);
        }
        assertTrue(players == anchor.max() || now - anchor.submittedNanos() >= SETTINGS.settleAfter().toNanos(),
                "settled for fewer before its time: " + match);
    }

    /**
     * Brute force over what is still waiting: no ticket is left that could anchor a match of its max now, or, once it
     * has waited the settle time, of any size it accepts.
     */
    private static void checkNothingLeftThatCouldMatch(Matchmaker pool, Map<Long, Ticket> all, Set<Long> matched,
                                                       Set<Long> cancelled, long now) {
        List<Ticket> waiting = new ArrayList<>();
        for (Ticket ticket : all.values()) {
            if (pool.get(ticket.id()) != null) {
                waiting.add(ticket);
            } else {
                assertTrue(matched.contains(ticket.id()) || cancelled.contains(ticket.id())
                        || now - ticket.submittedNanos() >= SETTINGS.lifetime().toNanos(), "a ticket vanished");
            }
        }
        for (Ticket anchor : waiting) {
            List<Ticket> near = new ArrayList<>();
            for (Ticket other : waiting) {
                double distance = Math.abs(other.skill() - anchor.skill());
                if (other != anchor && other.properties().equals(anchor.properties())
                        && distance <= pool.window(anchor, now) && distance <= pool.window(other, now)) {
                    near.add(other);
                }
            }
            boolean settled = now - anchor.submittedNanos() >= SETTINGS.settleAfter().toNanos();
            for (int size = anchor.min(); size <= anchor.max(); size++) {
                if (!anchor.accepts(size) || size < anchor.size() || (!settled && size < anchor.max())) {
                    continue;
                }
                if (possible(size - anchor.size(), size, near, 0)) {
                    fail("ticket " + anchor + " waits though a match of " + size + " exists among " + near);
                }
            }
        }
    }

    private static boolean possible(int needed, int size, List<Ticket> near, int from) {
        if (needed == 0) {
            return true;
        }
        for (int i = from; i < near.size(); i++) {
            Ticket ticket = near.get(i);
            if (ticket.accepts(size) && ticket.size() <= needed && possible(needed - ticket.size(), size, near, i + 1)) {
                return true;
            }
        }
        return false;
    }
}

package io.meshgate.match;

import java.util.Map;

/**
 * A request to be matched: for one player, or for a party of {@code size} players matched together and never split.
 * Tickets meet only tickets of the same {@code game} (to {@link MatchService}, a game with its hosting and lobby
 * mode). {@code properties} must equal another ticket's for the two to meet (a mode, a region, a map); {@code skill} must be
 * close enough (see {@link Matchmaker.Settings}). A match of {@code n} players suits the ticket when
 * {@code min <= n <= max} and {@code n} is a multiple of {@code countMultiple} (1 when teams do not matter).
 * {@code submittedNanos} is on the matchmaker's clock ({@link System#nanoTime}).
 */
public record Ticket(long id, String game, Map<String, String> properties, double skill, int min, int max,
                     int countMultiple, int size, long submittedNanos) {

    /** The most players a match may have, the most a party may bring, and the most properties a ticket names. */
    public static final int MAX_PLAYERS = 64;
    public static final int MAX_PROPERTIES = 8;

    public Ticket {
        properties = Map.copyOf(properties);
    }

    /**
     * Why these values make no ticket, or null when they do: Nakama's rules (2 <= min <= max, a count multiple that
     * divides both) and Meshgate's bounds, in words a client can be shown.
     */
    public static String check(int min, int max, int countMultiple, int size, double skill,
                               Map<String, String> properties) {
        if (min < 2) {
            return "min must be 2 or more";
        }
        if (max < min) {
            return "max must be at least min";
        }
        if (max > MAX_PLAYERS) {
            return "max must be at most " + MAX_PLAYERS;
        }
        if (countMultiple < 1 || min % countMultiple != 0 || max % countMultiple != 0) {
            return "count_multiple must divide both min and max";
        }
        if (size < 1 || size > max) {
            return "a party must have 1 to max players";
        }
        if (!Double.isFinite(skill)) {
            return "skill must be a finite number";
        }
        if (properties.size() > MAX_PROPERTIES) {
            return "at most " + MAX_PROPERTIES + " properties";
        }
        return null;
    }

    /** Whether a match of {@code players} suits this ticket. */
    boolean accepts(int players) {
        return players >= min && players <= max && players % countMultiple == 0;
    }
}

package io.meshgate.wire.godot4;

import java.util.Map;

/**
 * A client's LIST (Meshgate's type 100): which public lobbies it wants to see. {@code game} and every {@code label}
 * entry must match exactly when given; {@code free} keeps only lobbies with a free seat; {@code after} is the
 * {@code next} of the previous page (0 for the first); {@code limit} is the page's size, 1 to {@link #MAX_LIMIT}.
 */
public record Query(String game, Map<String, String> label, boolean free, long after, int limit) implements Extra {

    public static final int MAX_LIMIT = 50;
    public static final int DEFAULT_LIMIT = 20;
    /** The largest {@code after}: 2^53-1, the largest whole number every JSON reader (Godot's too) holds exactly. */
    public static final long MAX_AFTER = (1L << 53) - 1;

    public Query {
        label = Map.copyOf(label);
    }
}

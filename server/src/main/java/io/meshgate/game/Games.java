package io.meshgate.game;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The games one server hosts, by name, and the one a client that names none gets. Immutable; any thread.
 */
public final class Games {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final Map<String, GameType> byName;
    private final GameType byDefault;

    private Games(Map<String, GameType> byName, GameType byDefault) {
        this.byName = byName;
        this.byDefault = byDefault;
    }

    /**
     * Every game type on the class path (see {@link GameType}), narrowed to {@code enabled} unless that is empty, with
     * {@code defaultGame} as the default (if empty: the first of {@code enabled}, or with none enabled the first by
     * name). Throws with a message that lists what exists when a name is unknown, invalid or given twice.
     */
    public static Games load(List<String> enabled, String defaultGame) {
        List<GameType> found = new ArrayList<>();
        ServiceLoader.load(GameType.class, Games.class.getClassLoader()).forEach(found::add);
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return of(found, enabled, defaultGame);
    }

    /** The given game types, narrowed and defaulted as {@link #load} does. */
    public static Games of(Collection<GameType> types, List<String> enabled, String defaultGame) {
        Map<String, GameType> all = new LinkedHashMap<>();
        for (GameType type : types) {
            String name = type.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("game type " + type.getClass().getName() + " has an invalid name '"
                        + name + "': 1 to 32 of a-z, 0-9, '-' and '_'");
            }
            int rate = type.tickRate();
            if (rate != GameType.SERVER_TICK_RATE && (rate < 0 || rate > 240)) {
                throw new IllegalArgumentException("game '" + name + "' asks for a tick rate of " + rate
                        + ": 0 (none), 1 to 240, or GameType.SERVER_TICK_RATE");
            }
            if (type.maxPlayers() < 0) {
                throw new IllegalArgumentException("game '" + name + "' has a negative maxPlayers");
            }
            if (all.putIfAbsent(name, type) != null) {
                throw new IllegalArgumentException("two game types are named '" + name + "': "
                        + all.get(name).getClass().getName() + " and " + type.getClass().getName());
            }
        }
        Map<String, GameType> chosen = new LinkedHashMap<>();
        if (enabled.isEmpty()) {
            chosen.putAll(all);
        } else {
            for (String name : enabled) {
                GameType type = all.get(name);
                if (type == null) {
                    throw new IllegalArgumentException("--games names '" + name + "', which is not on the class path; "
                            + "found: " + String.join(", ", all.keySet()));
                }
                chosen.put(name, type);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no game to host: no GameType on the class path");
        }
        GameType byDefault = defaultGame.isEmpty() ? chosen.values().iterator().next() : chosen.get(defaultGame);
        if (byDefault == null) {
            throw new IllegalArgumentException("--default-game '" + defaultGame + "' is not one of the games offered: "
                    + String.join(", ", chosen.keySet()));
        }
        return new Games(Map.copyOf(chosen), byDefault);
    }

    /** The game called {@code name}, the default for null, or null if this server offers no such game. */
    public GameType get(String name) {
        return name == null ? byDefault : byName.get(name);
    }

    public GameType byDefault() {
        return byDefault;
    }

    /** The names offered, in no particular order. */
    public Collection<String> names() {
        return byName.keySet();
    }
}

package io.meshgate.wire.godot4;

import io.meshgate.wire.MalformedMessageException;
import java.util.Map;

/**
 * Meshgate's additions to a client's JOIN, each an optional key Godot's own server ignores: {@code game} (the game of
 * a server-hosted lobby it creates), {@code name} and {@code meta} (what the player says of itself, shown to the game),
 * {@code options} (for the game's {@code onCreate}), {@code public}/{@code private} (its {@link Visibility}) and
 * {@code code} (join the lobby with that join code instead of a name), {@code seat} (the seat token the
 * matchmaker gave for the lobby joined) and {@code resume} (take back the seat a dropped connection held, with the
 * token the server gave it). Bounded here, at the edge, so nothing larger gets further.
 */
public record Join(String game, String name, Map<String, String> meta, Map<String, Object> options,
                   Visibility visibility, String code, String seat, String resume) implements Extra {

    /**
     * Who can find a lobby a JOIN creates: by its name only (the default, as every lobby before), also in LIST, or
     * also by a short join code the server makes ({@code "public": true} and {@code "private": true}).
     */
    public enum Visibility {
        UNLISTED,
        PUBLIC,
        PRIVATE
    }

    /** A JOIN without any of them. */
    public static final Join NONE = new Join(null, "", Map.of(), Map.of(), Visibility.UNLISTED, null, null, null);

    /** The longest seat token a client may send; the server's are 22 characters. */
    public static final int MAX_SEAT = 64;

    /**
     * The longest resume token a client may send; the server's are 22 characters, after the node's id and a {@code ~}
     * in a cluster (a node id has at most 64).
     */
    public static final int MAX_RESUME = 96;

    /** The longest join code a client may send; the server's are shorter. */
    static final int MAX_CODE = 16;

    static final int MAX_GAME = 64;
    public static final int MAX_NAME = 32;
    static final int MAX_ENTRIES = 16;
    static final int MAX_KEY = 32;
    static final int MAX_META_VALUE = 128;
    static final int MAX_OPTION_VALUE = 256;

    public Join {
        meta = Map.copyOf(meta);
        options = Map.copyOf(options);
    }

    /** Without visibility or code: what a JOIN that only names a game and a player carries. */
    public Join(String game, String name, Map<String, String> meta, Map<String, Object> options) {
        this(game, name, meta, options, Visibility.UNLISTED, null, null, null);
    }

    /** Checks a player's name: at most 32 characters, none of them a control character. */
    public static String checkName(String name) throws MalformedMessageException {
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            throw new MalformedMessageException("'name' is longer than " + MAX_NAME + " characters");
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new MalformedMessageException("'name' holds a control character");
        }
        return name;
    }

    static void checkKey(String field, String key, int entries) throws MalformedMessageException {
        if (entries >= MAX_ENTRIES) {
            throw new MalformedMessageException("'" + field + "' has more than " + MAX_ENTRIES + " entries");
        }
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new MalformedMessageException("'" + field + "' keys are 1 to " + MAX_KEY + " characters");
        }
    }
}

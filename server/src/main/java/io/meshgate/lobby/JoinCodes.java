package io.meshgate.lobby;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short join codes for private lobbies, and the bound on wrong guesses per address that keeps them from being
 * enumerated. A code is {@link #LENGTH} characters of an alphabet without 0, O, 1 and I (easy to read aloud and type):
 * 32^6, about a billion codes, of which an address may try {@link #MAX_WRONG} wrong ones per {@link #WINDOW_MS}. Any
 * thread.
 */
final class JoinCodes {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int LENGTH = 6;
    static final int MAX_WRONG = 10;
    static final long WINDOW_MS = 60_000;
    /** Addresses remembered at most; past it, those whose window has passed are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private record Guesses(long since, int wrong) {
    }

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Lobby> lobbies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Guesses> wrong = new ConcurrentHashMap<>();

    /** Gives {@code lobby} a code no open lobby has, and returns it. */
    String issue(Lobby lobby) {
        while (true) {
            char[] code = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            String candidate = new String(code);
            if (lobbies.putIfAbsent(candidate, lobby) == null) {
                return candidate;
            }
        }
    }

    /** The lobby's code is free again. */
    void release(String code, Lobby lobby) {
        lobbies.remove(code, lobby);
    }

    /** Whether {@code address} may guess now (fewer than {@link #MAX_WRONG} wrong guesses in the window). */
    boolean mayGuess(String address, long nowMillis) {
        if (address == null) {
            return true;
        }
        Guesses guesses = wrong.get(address);
        if (guesses == null && wrong.size() >= MAX_ADDRESSES) {
            // Full of addresses still in their window: a flood from many addresses. New ones wait rather than
            // guess unrecorded.
            wrong.values().removeIf(old -> nowMillis - old.since() >= WINDOW_MS);
            return wrong.size() < MAX_ADDRESSES;
        }
        return guesses == null || nowMillis - guesses.since() >= WINDOW_MS || guesses.wrong() < MAX_WRONG;
    }

    /** The lobby with {@code code} (case ignored), or null; a miss counts against {@code address}. */
    Lobby find(String code, String address, long nowMillis) {
        Lobby lobby = get(code);
        if (lobby == null) {
            missed(address, nowMillis);
        }
        return lobby;
    }

    /** The lobby with {@code code} (case ignored) on this node, or null; nothing counted. */
    Lobby get(String code) {
        return lobbies.get(code.toUpperCase(Locale.ROOT));
    }

    /** A code no node knows was tried from {@code address}. */
    void missed(String address, long nowMillis) {
        if (address == null) {
            return;
        }
        if (wrong.size() >= MAX_ADDRESSES) {
            wrong.values().removeIf(guesses -> nowMillis - guesses.since() >= WINDOW_MS);
        }
        wrong.merge(address, new Guesses(nowMillis, 1), (old, one) -> nowMillis - old.since() >= WINDOW_MS
                ? one : new Guesses(old.since(), old.wrong() + 1));
    }
}

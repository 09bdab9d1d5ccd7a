package io.meshgate.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.RecordingGame;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry of a server's games: what it offers, its default, and the mistakes it refuses at start. */
class GamesTest {

    private static GameType type(String name) {
        return GameType.of(name, room -> new RecordingGame(false));
    }

    @Test
    void findsTheBundledArenaOnTheClassPath() {
        Games games = Games.load(List.of(), "");
        assertEquals("arena", games.byDefault().name());
        assertEquals("arena", games.get(null).name(), "no name: the default");
    }

    @Test
    void offersWhatIsEnabledWithTheDefaultAsked() {
        Games games = Games.of(List.of(type("beta"), type("alpha"), type("gamma")), List.of("gamma", "beta"), "");
        assertEquals(Set.of("gamma", "beta"), Set.copyOf(games.names()));
        assertEquals("gamma", games.byDefault().name(), "the first of --games");
        assertNull(games.get("alpha"), "not enabled");
        assertEquals("beta", Games.of(List.of(type("beta"), type("alpha")), List.of(), "beta").byDefault().name());
    }

    @Test
    void refusesMistakesWithAMessageThatNamesWhatExists() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Games.of(List.of(type("alpha")), List.of("chess"), ""));
        assertTrue(unknown.getMessage().contains("chess") && unknown.getMessage().contains("alpha"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(type("alpha")), List.of(), "beta"));
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(type("a"), type("a")), List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(type("Chess")), List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(type("")), List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(
                GameType.of("fast", room -> null, 1000, 0)), List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> Games.of(List.of(), List.of(), ""));
    }
}

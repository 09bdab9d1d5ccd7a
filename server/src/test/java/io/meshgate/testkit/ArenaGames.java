package io.meshgate.testkit;

import io.meshgate.game.Game;
import io.meshgate.game.Room;
import io.meshgate.game.arena.ArenaGame;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Makes the bundled arena for a test server and keeps every game it made, so a test can read their state. */
public final class ArenaGames implements Game.Factory {

    private final Set<ArenaGame> games = ConcurrentHashMap.newKeySet();

    @Override
    public Game create(Room room) {
        ArenaGame game = new ArenaGame(room);
        games.add(game);
        return game;
    }

    /** Every game made so far, live or over. */
    public Collection<ArenaGame> all() {
        return games;
    }

    /** The game in which {@code playerId} plays, as of its last tick, or null. */
    public ArenaGame withPlayer(int playerId) {
        return games.stream().filter(g -> g.view().containsKey(playerId)).findFirst().orElse(null);
    }

    /** Whether some game has applied {@code playerId}'s input number {@code seq}. */
    public boolean applied(int playerId, long seq) {
        ArenaGame game = withPlayer(playerId);
        return game != null && game.view().get(playerId).lastSeq() == seq;
    }
}

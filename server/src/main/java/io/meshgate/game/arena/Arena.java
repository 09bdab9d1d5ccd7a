package io.meshgate.game.arena;

import io.meshgate.game.Game;
import io.meshgate.game.GameType;
import io.meshgate.game.Room;

/** The bundled arena as a game type: {@code arena}, at the server's tick rate. */
public final class Arena implements GameType {

    @Override
    public String name() {
        return "arena";
    }

    @Override
    public Game create(Room room) {
        return new ArenaGame(room);
    }
}

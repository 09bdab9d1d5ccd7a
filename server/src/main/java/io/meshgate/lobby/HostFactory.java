package io.meshgate.lobby;

import java.util.Map;
import java.util.concurrent.Executor;

/** Makes the server's own peer 1 for each server-hosted lobby, running one of the server's games. */
public interface HostFactory {

    /**
     * The name of the game a lobby that asks for {@code game} runs: the server's default for null, null if the server
     * offers no such game. Any thread.
     */
    String game(String game);

    /** How many clients a lobby of {@code game} (a name {@link #game} gave) takes at most; 0 for no limit of its own. */
    int maxPlayers(String game);

    /**
     * Called on the creating client's transport thread (for quick play, under the quick-play pool's lock); must be
     * quick and must not block or run game code: whatever is slow belongs in the host's first event, which runs on
     * {@code lobbyExecutor} like every member's. {@code dialect} is the dialect of the lobby's clients, which decides
     * who offers and how their packets look; {@code game} is a name {@link #game} gave, {@code options} what the
     * creator asked of it.
     */
    Peer create(LobbyService lobbies, String lobbyName, boolean mesh, Dialect dialect, Executor lobbyExecutor,
                String game, Map<String, Object> options);
}

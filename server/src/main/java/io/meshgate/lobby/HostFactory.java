package io.meshgate.lobby;

import java.util.concurrent.Executor;

/** Makes the server's own peer 1 for each server-hosted lobby. */
@FunctionalInterface
public interface HostFactory {

    /**
     * Called on the creating client's transport thread (for quick play, under the quick-play pool's lock); must be
     * quick and must not block or run game code: whatever is slow belongs in the host's first event, which runs on
     * {@code lobbyExecutor} like every member's. {@code dialect} is the dialect of the lobby's clients, which decides
     * who offers and how their packets look.
     */
    Peer create(LobbyService lobbies, String lobbyName, boolean mesh, Dialect dialect, Executor lobbyExecutor);
}

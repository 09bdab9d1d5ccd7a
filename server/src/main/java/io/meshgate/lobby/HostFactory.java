package io.meshgate.lobby;

import java.util.concurrent.Executor;

/** Makes the server's own peer 1 for each server-hosted lobby. */
@FunctionalInterface
public interface HostFactory {

    /**
     * Called on the creating client's transport thread; must not block. The host's events then run on
     * {@code lobbyExecutor}, like every member's. {@code dialect} is the signaling dialect of the lobby's clients
     * (see {@link Peer#dialect}), which decides who offers and how their packets look.
     */
    Peer create(LobbyService lobbies, String lobbyName, boolean mesh, String dialect, Executor lobbyExecutor);
}

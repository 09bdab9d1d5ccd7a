package io.meshgate.host;

import java.util.concurrent.ConcurrentHashMap;

/** The server's host peers by lobby name, so that a relay client can find the peer 1 of the lobby it joined. */
public final class Hosts {

    private final ConcurrentHashMap<String, HostPeer> byLobby = new ConcurrentHashMap<>();

    void add(String lobby, HostPeer host) {
        byLobby.put(lobby, host);
    }

    void remove(String lobby, HostPeer host) {
        byLobby.remove(lobby, host);
    }

    /** The host of a server-hosted lobby, or null if the lobby is not one (or is gone). */
    public HostPeer find(String lobby) {
        return byLobby.get(lobby);
    }
}

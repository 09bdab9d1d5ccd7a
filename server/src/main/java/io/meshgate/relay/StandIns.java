package io.meshgate.relay;

import io.meshgate.rtc.RtcEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * What the stand-ins of relay players in peer-hosted lobbies share: the WebRTC engine they connect with, and the
 * bounds on their connections, on the server and in one lobby (each is a WebRTC connection the server holds for a
 * player who cannot). Thread-safe.
 */
public final class StandIns {

    final RtcEngine rtc;
    private final int max;
    private final int maxPerLobby;
    private final Map<String, Integer> byLobby = new HashMap<>();
    private int total;

    /** @param max connections on the server (0: relay players are refused in peer-hosted lobbies) */
    public StandIns(RtcEngine rtc, int max, int maxPerLobby) {
        this.rtc = rtc;
        this.max = max;
        this.maxPerLobby = maxPerLobby;
    }

    /** Whether relay players may play peer-hosted lobbies at all. */
    boolean enabled() {
        return max > 0;
    }

    /** Takes a place for one connection in {@code lobby}; false when the server or the lobby has none left. */
    synchronized boolean reserve(String lobby) {
        int inLobby = byLobby.getOrDefault(lobby, 0);
        if (total >= max || inLobby >= maxPerLobby) {
            return false;
        }
        total++;
        byLobby.put(lobby, inLobby + 1);
        return true;
    }

    /** Gives back a place {@link #reserve} took. */
    synchronized void release(String lobby) {
        Integer inLobby = byLobby.get(lobby);
        if (inLobby == null) {
            return;
        }
        total--;
        if (inLobby == 1) {
            byLobby.remove(lobby);
        } else {
            byLobby.put(lobby, inLobby - 1);
        }
    }

    /** Stand-in connections held now, for /stats and /metrics. */
    public synchronized int connections() {
        return total;
    }
}

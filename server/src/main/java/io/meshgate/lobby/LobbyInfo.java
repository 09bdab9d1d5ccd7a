package io.meshgate.lobby;

import java.util.List;
import java.util.Map;

/**
 * What an operator sees of one open lobby, read on the lobby's executor: its {@code number} (unique for the life
 * of the process, unlike a name, which a closed hostless lobby gives back), how it is hosted ({@code server},
 * {@code peer} or {@code hostless}), the game a server-hosted lobby runs and the label it set, and its members in
 * join order.
 */
public record LobbyInfo(long number, String name, Dialect dialect, String hosting, boolean mesh, boolean sealed,
                        String game, Map<String, String> label, long createdAtMillis, List<Member> members) {

    /**
     * One member, the host included, under the id the lobby knows it by (the host as 1) and its server-wide id; its
     * transport is {@code server} (the server's own peer 1), {@code webrtc} (a client of a server-hosted lobby),
     * {@code relay} (a client playing through the server's WebSocket relay) or {@code p2p} (a client the server
     * only signals for); its traffic is its WebSocket's, or null for the server's own peer.
     */
    public record Member(int id, int serverId, String label, String transport, String address, long joinedAtMillis,
                         Traffic traffic) {
    }
}

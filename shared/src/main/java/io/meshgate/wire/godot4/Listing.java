package io.meshgate.wire.godot4;

import java.util.Map;

/**
 * One public lobby as a LOBBIES page shows it: its name (what JOIN takes), its game and the label the game set (both
 * empty for a peer-hosted lobby), who hosts it ({@code server} or {@code peer}), whether it is a mesh, and its players
 * and seats (clients only: the server's own peer is not counted).
 */
public record Listing(String name, String game, Map<String, String> label, String hosting, boolean mesh, int players,
                      int capacity) {

    public Listing {
        label = Map.copyOf(label);
    }
}

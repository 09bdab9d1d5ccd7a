package io.meshgate.lobby;

import java.util.Map;

/**
 * A public lobby as listings show it: its name (to join it), its game and label (empty when peer-hosted), hosting,
 * mesh, players and seats (clients only), and its {@code number}, its place in listings and the cursor of the next page.
 */
public record PublicLobby(long number, String name, String game, Map<String, String> label, String hosting,
                          boolean mesh, int players, int capacity) {
}

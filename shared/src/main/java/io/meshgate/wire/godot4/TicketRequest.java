package io.meshgate.wire.godot4;

import java.util.Map;

/**
 * A client's TICKET (Meshgate's type 102): what it wants to be matched for. {@code game} null means the server's
 * default game; the sizes follow the matchmaker's rules (checked by the server, which says why it refuses). A party
 * member names its party's shared {@code party} key and {@code partySize}; alone, {@code party} is null and the size 1.
 * {@code peerHosted}: the match is for a game that runs in the players' engines, one of them its host (then
 * {@code game} is any name the players agree on, not one the server offers); {@code mesh}: its lobby is a mesh.
 */
public record TicketRequest(String game, Map<String, String> properties, double skill, int min, int max,
                            int countMultiple, String party, int partySize, boolean peerHosted, boolean mesh)
        implements Extra {

    /** The longest party key a client may send. */
    public static final int MAX_PARTY_KEY = 64;

    public TicketRequest {
        properties = Map.copyOf(properties);
    }
}

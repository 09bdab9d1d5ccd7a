package io.meshgate.wire.godot4;

import java.util.Map;

/**
 * A client's TICKET (Meshgate's type 102): what it wants to be matched for. {@code game} null means the server's
 * default game; the sizes follow the matchmaker's rules (checked by the server, which says why it refuses).
 */
public record TicketRequest(String game, Map<String, String> properties, double skill, int min, int max,
                            int countMultiple) implements Extra {

    public TicketRequest {
        properties = Map.copyOf(properties);
    }
}

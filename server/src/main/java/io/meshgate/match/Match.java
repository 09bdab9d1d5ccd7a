package io.meshgate.match;

import java.util.List;

/** Tickets the matchmaker put together: {@code players} in all, for {@code game}, the oldest ticket first. */
public record Match(String game, List<Ticket> tickets, int players) {

    public Match {
        tickets = List.copyOf(tickets);
    }
}

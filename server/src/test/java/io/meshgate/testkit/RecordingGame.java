package io.meshgate.testkit;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.LeaveReason;
import io.meshgate.game.Player;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A game that writes down every call it gets as a line of text ("join 2", "packet 2 RELIABLE 3", "tick", ...) and,
 * if asked, sends each packet straight back: for tests of what reaches a game, driven on one thread.
 */
public class RecordingGame implements Game {

    public final List<String> events = new ArrayList<>();
    public final List<Player> players = new ArrayList<>();
    private final boolean echo;

    public RecordingGame(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onCreate(Map<String, Object> options) {
        if (!options.isEmpty()) {
            events.add("create " + new java.util.TreeMap<>(options));
        }
    }

    @Override
    public void onJoin(Player player) {
        players.add(player);
        events.add("join " + player.id());
    }

    @Override
    public void onLeave(Player player, LeaveReason reason) {
        events.add("leave " + player.id() + " " + reason);
    }

    /** An empty payload makes it throw, standing in for a bug in a game. */
    @Override
    public void onPacket(Player player, Delivery delivery, byte[] payload) {
        if (payload.length == 0) {
            throw new IllegalStateException("a game bug");
        }
        events.add("packet " + player.id() + " " + delivery + " " + payload.length);
        if (echo) {
            player.send(delivery, payload);
        }
    }

    @Override
    public void tick(double dt) {
        events.add("tick");
    }

    @Override
    public void onDispose() {
        events.add("dispose");
    }
}

package io.meshgate.testkit;

import io.meshgate.game.Delivery;
import io.meshgate.game.Engine;
import io.meshgate.game.Player;
import io.meshgate.game.Room;
import io.meshgate.wire.variant.VariantCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A room and its players for unit tests of a game's rules, driven on the test's thread: what the game sends is kept,
 * decoded from Godot 4's Variant encoding, per player.
 */
public final class TestRoom implements Room {

    /** A player that keeps what it was sent and whether it was kicked. */
    public final class TestPlayer implements Player {
        private final int id;
        private final String name;
        public final List<Object> received = new ArrayList<>();
        public String kicked;

        TestPlayer(int id, String name) {
            this.id = id;
            this.name = name;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public Engine engine() {
            return Engine.GODOT4;
        }

        @Override
        public void send(Delivery delivery, byte[] payload) {
            if (kicked == null) {
                try {
                    received.add(VariantCodec.GODOT4.decode(payload));
                } catch (Exception e) {
                    throw new AssertionError("the game sent what Godot cannot decode", e);
                }
            }
        }

        @Override
        public void kick(String reason) {
            kicked = reason;
            players.remove(this);
        }

        /** The last message of {@code type} it received, or null. */
        public Map<?, ?> last(String type) {
            for (int i = received.size() - 1; i >= 0; i--) {
                if (received.get(i) instanceof Map<?, ?> message && type.equals(message.get("type"))) {
                    return message;
                }
            }
            return null;
        }
    }

    private final List<Player> players = new ArrayList<>();
    private Map<String, String> label = Map.of();
    public String closed;

    /** A new player, in the room's list (call the game's onJoin yourself). */
    public TestPlayer add(int id, String name) {
        TestPlayer player = new TestPlayer(id, name);
        players.add(player);
        return player;
    }

    public void remove(Player player) {
        players.remove(player);
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Collection<Player> players() {
        return List.copyOf(players);
    }

    @Override
    public void broadcast(Delivery delivery, byte[] payload) {
        broadcast(delivery, payload, player -> true);
    }

    @Override
    public void broadcast(Delivery delivery, byte[] payload, Predicate<Player> to) {
        for (Player player : List.copyOf(players)) {
            if (to.test(player)) {
                player.send(delivery, payload);
            }
        }
    }

    @Override
    public int tickRate() {
        return 0;
    }

    @Override
    public void close(String reason) {
        closed = reason;
    }

    @Override
    public void setLabel(Map<String, String> label) {
        this.label = Map.copyOf(label);
    }

    @Override
    public Map<String, String> label() {
        return label;
    }
}

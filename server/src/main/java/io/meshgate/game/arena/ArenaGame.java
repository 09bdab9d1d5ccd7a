package io.meshgate.game.arena;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.LeaveReason;
import io.meshgate.game.Player;
import io.meshgate.game.Room;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bundled demo: a top-down arena where players run after pickups. The server owns positions and scores.
 *
 * <p>Messages are Godot 4 Variants, so GDScript reads them with {@code bytes_to_var}:
 * <ul>
 * <li>client to server, any channel: {@code {"move": Vector2, "seq": int}}, the direction the player wants to go
 *     (its length is capped at 1) and the input's sequence number;</li>
 * <li>server to client, unreliable, every tick: {@code {"type": "snapshot", "tick": int, "players": [[id, Vector2
 *     position, score, last seq], ...], "pickups": PackedVector2Array}};</li>
 * <li>server to client, reliable: {@code {"type": "welcome", "id", "arena": Vector2 size, "tick_rate", "speed"}} to
 *     a joining player, and {@code {"type": "join"|"leave", "id"}} and {@code {"type": "score", "id", "score"}} to all;
 *     {@code {"type": "away"|"back", "id"}} to the others when a player's connection dropped and when it resumed.</li>
 * </ul>
 * Movement is integrated from directions at {@link #SPEED}, so a client cannot teleport, only steer. A player whose
 * connection dropped keeps its place and score and stops until its inputs arrive again (over WebRTC they may never
 * have stopped), until it is back or its seat is given up.
 */
public final class ArenaGame implements Game {

    public static final float WIDTH = 960;
    public static final float HEIGHT = 540;
    /** Pixels per second at full stick. */
    public static final float SPEED = 240;
    public static final float PLAYER_RADIUS = 16;
    public static final float PICKUP_RADIUS = 10;
    public static final int PICKUPS = 5;
    /** A tick after a stall integrates at most this much time, so a late tick cannot fling players across the map. */
    static final double MAX_DT = 0.1;

    /** What a test or the admin view may read of a player; published each tick. */
    public record View(int id, float x, float y, int score, long lastSeq, boolean away) {
    }

    private final Room room;
    private final Random random = new Random();
    private final Map<Integer, State> players = new LinkedHashMap<>();
    private final List<Vector2> pickups = new ArrayList<>();
    private long tick;
    private long ignoredInputs;
    /** Players whose connection dropped, and who came back, since the game began; for tests and the log. */
    private volatile int drops;
    private volatile int resumes;
    private volatile Map<Integer, View> published = Map.of();

    private static final class State {
        final Player player;
        float x;
        float y;
        float dirX;
        float dirY;
        int score;
        long lastSeq = -1;
        boolean away;

        State(Player player) {
            this.player = player;
        }
    }

    public ArenaGame(Room room) {
        this.room = room;
        for (int i = 0; i < PICKUPS; i++) {
            pickups.add(randomSpot(PICKUP_RADIUS));
        }
    }

    private Vector2 randomSpot(float margin) {
        return new Vector2(margin + random.nextFloat() * (WIDTH - 2 * margin),
                margin + random.nextFloat() * (HEIGHT - 2 * margin));
    }

    /**
     * The input message a client sends, {@code {"move": Vector2(x, y), "seq": seq}}; encode it with the client's
     * engine's Variant codec.
     */
    public static Map<String, Object> input(float x, float y, long seq) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("move", new Vector2(x, y));
        input.put("seq", seq);
        return input;
    }

    private static byte[] encode(Object value) {
        return VariantCodec.GODOT4.encode(value);
    }

    private static Map<String, Object> message(String type, Object... keysAndValues) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            message.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return message;
    }

    @Override
    public void onJoin(Player player) {
        State state = new State(player);
        Vector2 spawn = randomSpot(PLAYER_RADIUS);
        state.x = spawn.x();
        state.y = spawn.y();
        players.put(player.id(), state);
        player.send(Delivery.RELIABLE, encode(message("welcome", "id", (long) player.id(),
                "arena", new Vector2(WIDTH, HEIGHT), "tick_rate", (long) room.tickRate(), "speed", (double) SPEED)));
        room.broadcast(Delivery.RELIABLE, encode(message("join", "id", (long) player.id())));
    }

    @Override
    public void onLeave(Player player, LeaveReason reason) {
        players.remove(player.id());
        room.broadcast(Delivery.RELIABLE, encode(message("leave", "id", (long) player.id())));
    }

    @Override
    public void onDrop(Player player) {
        State state = players.get(player.id());
        if (state != null) {
            state.away = true;
            state.dirX = 0;
            state.dirY = 0;
            drops++;
            room.broadcast(Delivery.RELIABLE, encode(message("away", "id", (long) player.id())), p -> p != player);
        }
    }

    @Override
    public void onResume(Player player) {
        State state = players.get(player.id());
        if (state != null) {
            state.away = false;
            resumes++;
            room.broadcast(Delivery.RELIABLE, encode(message("back", "id", (long) player.id())), p -> p != player);
        }
    }

    @Override
    public void onPacket(Player player, Delivery delivery, byte[] payload) {
        State state = players.get(player.id());
        if (state == null) {
            return;
        }
        Object decoded;
        try {
            decoded = VariantCodec.GODOT4.decode(payload);
        } catch (MalformedMessageException e) {
            ignoredInputs++;
            return;
        }
        if (!(decoded instanceof Map<?, ?> input) || !(input.get("move") instanceof Vector2 move)) {
            ignoredInputs++;
            return;
        }
        long seq = input.get("seq") instanceof Long n ? n : state.lastSeq + 1;
        if (seq <= state.lastSeq && delivery != Delivery.RELIABLE) {
            return; // an older input overtaken on an unordered channel
        }
        float x = move.x();
        float y = move.y();
        if (!Float.isFinite(x) || !Float.isFinite(y)) {
            ignoredInputs++;
            return;
        }
        float length = (float) Math.hypot(x, y);
        if (length > 1) {
            x /= length;
            y /= length;
        }
        state.dirX = x;
        state.dirY = y;
        state.lastSeq = seq;
    }

    @Override
    public void tick(double dt) {
        tick++;
        float step = (float) (Math.min(dt, MAX_DT) * SPEED);
        List<Object> snapshotPlayers = new ArrayList<>(players.size());
        Map<Integer, View> view = new LinkedHashMap<>();
        for (State state : players.values()) {
            state.x = clamp(state.x + state.dirX * step, PLAYER_RADIUS, WIDTH - PLAYER_RADIUS);
            state.y = clamp(state.y + state.dirY * step, PLAYER_RADIUS, HEIGHT - PLAYER_RADIUS);
            for (int i = 0; i < pickups.size(); i++) {
                Vector2 pickup = pickups.get(i);
                if (Math.hypot(pickup.x() - state.x, pickup.y() - state.y) < PLAYER_RADIUS + PICKUP_RADIUS) {
                    state.score++;
                    pickups.set(i, randomSpot(PICKUP_RADIUS));
                    room.broadcast(Delivery.RELIABLE, encode(message("score", "id", (long) state.player.id(),
                            "score", (long) state.score)));
                }
            }
            snapshotPlayers.add(List.of((long) state.player.id(), new Vector2(state.x, state.y), (long) state.score,
                    state.lastSeq));
            view.put(state.player.id(), new View(state.player.id(), state.x, state.y, state.score, state.lastSeq,
                    state.away));
        }
        published = Map.copyOf(view);
        if (!players.isEmpty()) {
            room.broadcast(Delivery.UNRELIABLE, encode(message("snapshot", "tick", tick, "players", snapshotPlayers,
                    "pickups", pickups.toArray(new Vector2[0]))));
        }
    }

    private static float clamp(float value, float min, float max) {
        return Math.max(min, Math.min(max, value));
    }

    /** The players as of the last tick; safe to read from any thread. */
    public Map<Integer, View> view() {
        return published;
    }

    /** How many times a player's connection dropped, and a dropped player came back, in this game; any thread. */
    public int drops() {
        return drops;
    }

    public int resumes() {
        return resumes;
    }

    /** Inputs refused as malformed since the game began; read on the game's thread. */
    long ignoredInputs() {
        return ignoredInputs;
    }
}

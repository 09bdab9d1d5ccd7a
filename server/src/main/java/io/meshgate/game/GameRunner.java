package io.meshgate.game;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Game} in one lobby: makes it, admits players whatever their transport, calls it, and ticks it at a
 * fixed rate. Every method must be called on the lobby's executor, which is therefore the only thread that ever runs
 * game code, the game's constructor included.
 */
public final class GameRunner implements Room {

    private static final Logger LOG = LoggerFactory.getLogger(GameRunner.class);

    private final String name;
    private final int tickRate;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final ObjLongConsumer<String> tickTimes;
    private final GameType type;
    private final Map<Integer, Member> players = new LinkedHashMap<>();
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private Game game;
    private ScheduledFuture<?> ticker;
    private long lastTick;
    private boolean disposed;

    /**
     * @param tickRate ticks per second, or 0 for a game without a tick
     * @param executor the lobby's serial executor, where ticks are posted
     * @param tickTimes receives each tick's duration in nanoseconds with the game's name, for the server's statistics
     */
    public GameRunner(String name, GameType type, int tickRate, Executor executor, ScheduledExecutorService timer,
                      ObjLongConsumer<String> tickTimes) {
        if (tickRate < 0) {
            throw new IllegalArgumentException("tick rate must be 0 (none) or positive: " + tickRate);
        }
        this.name = name;
        this.type = type;
        this.tickRate = tickRate;
        this.executor = executor;
        this.timer = timer;
        this.tickTimes = tickTimes;
    }

    /** Makes the game and starts ticking it; false (logged) if the game's factory threw, or after a dispose. */
    public boolean start() {
        if (game != null || disposed) {
            return game != null && !disposed;
        }
        try {
            game = type.create(this);
        } catch (RuntimeException e) {
            LOG.error("Game for lobby {} could not be created; the lobby closes", name, e);
            disposed = true;
            return false;
        }
        lastTick = System.nanoTime();
        if (tickRate == 0) {
            return true; // a game without a tick acts only on its players' events
        }
        long period = 1_000_000_000L / tickRate;
        ticker = timer.scheduleAtFixedRate(() -> {
            // A lobby that falls behind skips ticks rather than queueing them; dt tells the game how long it was.
            if (tickQueued.compareAndSet(false, true)) {
                executor.execute(this::tick);
            }
        }, period, period, TimeUnit.NANOSECONDS);
        return true;
    }

    private void tick() {
        tickQueued.set(false);
        if (disposed) {
            return;
        }
        long start = System.nanoTime();
        double dt = (start - lastTick) / 1e9;
        lastTick = start;
        guarded("tick", () -> game.tick(dt));
        tickTimes.accept(gameName(), System.nanoTime() - start);
    }

    /**
     * A player whose connection is open joins the game: {@code send} reaches it and {@code kick} removes it from the
     * lobby. Joining twice with one id keeps the first.
     */
    public void join(int id, BiConsumer<Delivery, byte[]> send, Consumer<String> kick) {
        if (game == null || disposed || players.containsKey(id)) {
            return;
        }
        Member member = new Member(id, send, kick);
        players.put(id, member);
        guarded("onJoin", () -> game.onJoin(member));
    }

    /** A player's connection is gone; nothing more is sent to it. */
    public void leave(int id) {
        Member member = players.remove(id);
        if (member != null) {
            member.gone = true;
            if (!disposed) {
                guarded("onLeave", () -> game.onLeave(member));
            }
        }
    }

    /** Game data from a player; dropped unless it has joined. */
    public void packet(int id, Delivery delivery, byte[] payload) {
        Member member = players.get(id);
        if (member != null && !disposed) {
            guarded("onPacket", () -> game.onPacket(member, delivery, payload));
        }
    }

    /** The lobby is closing: stop ticking and let the game clean up. */
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (game != null) {
            guarded("onDispose", game::onDispose);
        }
        players.values().forEach(member -> member.gone = true);
        players.clear();
    }

    private void guarded(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Game in lobby {} failed in {}; it goes on", name, what, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The name of the game's type, which clients ask for. */
    public String gameName() {
        return type.name();
    }

    @Override
    public Collection<Player> players() {
        return Collections.unmodifiableCollection(new ArrayList<>(players.values()));
    }

    @Override
    public void broadcast(Delivery delivery, byte[] payload) {
        for (Member member : players.values()) {
            member.send(delivery, payload);
        }
    }

    @Override
    public int tickRate() {
        return tickRate;
    }

    private static final class Member implements Player {
        private final int id;
        private final BiConsumer<Delivery, byte[]> send;
        private final Consumer<String> kick;
        private boolean gone;

        Member(int id, BiConsumer<Delivery, byte[]> send, Consumer<String> kick) {
            this.id = id;
            this.send = send;
            this.kick = kick;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void send(Delivery delivery, byte[] payload) {
            if (!gone) {
                send.accept(delivery, payload);
            }
        }

        @Override
        public void kick(String reason) {
            if (!gone) {
                kick.accept(reason);
            }
        }

        @Override
        public String toString() {
            return "Player " + id;
        }
    }
}

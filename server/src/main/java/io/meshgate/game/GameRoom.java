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
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Game} in one lobby: admits players whatever their transport, calls the game on the lobby's
 * executor, and ticks it at a fixed rate. Every method except {@link #start} must be called on that executor.
 */
public final class GameRoom implements Room {

    private static final Logger LOG = LoggerFactory.getLogger(GameRoom.class);

    /** How a player's packets reach it: WebRTC, or the relay for clients without it. */
    public interface Link {
        void send(Delivery delivery, byte[] payload);

        void kick(String reason);
    }

    private final String name;
    private final int tickRate;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final LongConsumer tickTimes;
    private final Game game;
    private final Map<Integer, Member> players = new LinkedHashMap<>();
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private ScheduledFuture<?> ticker;
    private long lastTick;
    private boolean disposed;

    /**
     * @param tickTimes receives each tick's duration in nanoseconds, for the server's statistics
     */
    public GameRoom(String name, int tickRate, Executor executor, ScheduledExecutorService timer, Game.Factory factory,
                    LongConsumer tickTimes) {
        this.name = name;
        this.tickRate = tickRate;
        this.executor = executor;
        this.timer = timer;
        this.tickTimes = tickTimes;
        this.game = factory.create(this);
    }

    /** Starts ticking; any thread. */
    public void start() {
        lastTick = System.nanoTime();
        long period = 1_000_000_000L / tickRate;
        ticker = timer.scheduleAtFixedRate(() -> {
            // A lobby that falls behind skips ticks rather than queueing them; dt tells the game how long it was.
            if (tickQueued.compareAndSet(false, true)) {
                executor.execute(this::tick);
            }
        }, period, period, TimeUnit.NANOSECONDS);
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
        tickTimes.accept(System.nanoTime() - start);
    }

    /** A player whose connection is open joins the game. */
    public Player join(int id, Link link) {
        Member member = new Member(id, link);
        if (disposed || players.putIfAbsent(id, member) != null) {
            return players.get(id);
        }
        guarded("onJoin", () -> game.onJoin(member));
        return member;
    }

    /** A player's connection is gone; nothing more is sent to it. */
    public void leave(int id) {
        Member member = players.remove(id);
        if (member != null && !disposed) {
            member.gone = true;
            guarded("onLeave", () -> game.onLeave(member));
        }
    }

    public void packet(int id, Delivery delivery, byte[] payload) {
        Member member = players.get(id);
        if (member != null && !disposed) {
            guarded("onPacket", () -> game.onPacket(member, delivery, payload));
        }
    }

    public boolean hasPlayer(int id) {
        return players.containsKey(id);
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
        guarded("onDispose", game::onDispose);
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
        private final Link link;
        private boolean gone;

        Member(int id, Link link) {
            this.id = id;
            this.link = link;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void send(Delivery delivery, byte[] payload) {
            if (!gone) {
                link.send(delivery, payload);
            }
        }

        @Override
        public void kick(String reason) {
            if (!gone) {
                link.kick(reason);
            }
        }

        @Override
        public String toString() {
            return "Player " + id;
        }
    }
}

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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Game} in one lobby: makes it, asks it about joins, admits players whatever their transport, calls
 * it, and ticks it at a fixed rate. Every method must be called on the lobby's executor, which is therefore the only
 * thread that ever runs game code, the game's constructor included.
 */
public final class GameRunner implements Room {

    private static final Logger LOG = LoggerFactory.getLogger(GameRunner.class);
    /** Bounds of a label: it is shown in listings, which a game must not be able to blow up. */
    static final int MAX_LABEL_ENTRIES = 16;
    static final int MAX_LABEL_KEY = 32;
    static final int MAX_LABEL_VALUE = 128;

    private final String name;
    private final GameType type;
    private final int tickRate;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final ObjLongConsumer<String> tickTimes;
    private final Consumer<String> close;
    private final Map<Integer, Member> players = new LinkedHashMap<>();
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private Game game;
    private ScheduledFuture<?> ticker;
    private long lastTick;
    private boolean disposed;
    /** Set when the game closed its lobby: from then on it gets no calls but {@link Game#onDispose}. */
    private boolean closing;
    private volatile Map<String, String> label = Map.of();

    /**
     * @param tickRate ticks per second, or 0 for a game without a tick
     * @param executor the lobby's serial executor, where ticks are posted
     * @param tickTimes receives each tick's duration in nanoseconds with the game's name, for the server's statistics
     * @param close closes the lobby with the game's words (see {@link Room#close}); it must not call back in
     */
    public GameRunner(String name, GameType type, int tickRate, Executor executor, ScheduledExecutorService timer,
                      ObjLongConsumer<String> tickTimes, Consumer<String> close) {
        if (tickRate < 0) {
            throw new IllegalArgumentException("tick rate must be 0 (none) or positive: " + tickRate);
        }
        this.name = name;
        this.type = type;
        this.tickRate = tickRate;
        this.executor = executor;
        this.timer = timer;
        this.tickTimes = tickTimes;
        this.close = close;
    }

    /**
     * Makes the game, gives it the creator's options and starts ticking it; false (logged) if the game's factory or
     * {@link Game#onCreate} threw, or after a dispose.
     */
    public boolean start(Map<String, Object> options) {
        if (game != null || disposed) {
            return game != null && !disposed;
        }
        try {
            game = type.create(this);
            game.onCreate(options);
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

    private boolean playing() {
        return game != null && !disposed && !closing;
    }

    private void tick() {
        tickQueued.set(false);
        if (!playing()) {
            return;
        }
        long start = System.nanoTime();
        double dt = (start - lastTick) / 1e9;
        lastTick = start;
        guarded("tick", () -> game.tick(dt));
        tickTimes.accept(type.name(), System.nanoTime() - start);
    }

    /**
     * A client asks to join: null admits it, else the game's refusal. A game that throws refuses it (logged). Without a
     * playing game (it could not be made, or closed its lobby) the game is not asked: its lobby is closing and tells
     * the client why.
     */
    public String attempt(JoinAttempt attempt) {
        if (!playing()) {
            return null;
        }
        try {
            return game.onJoinAttempt(attempt);
        } catch (RuntimeException e) {
            LOG.error("Game in lobby {} failed in onJoinAttempt; peer {} refused", name, attempt.id(), e);
            return "Refused by the game";
        }
    }

    /**
     * A player whose connection is open joins the game: {@code send} reaches it and {@code kick} removes it from the
     * lobby. Joining twice with one id keeps the first.
     */
    public void join(JoinAttempt who, BiConsumer<Delivery, byte[]> send, Consumer<String> kick) {
        if (!playing() || players.containsKey(who.id())) {
            return;
        }
        Member member = new Member(who, send, kick);
        players.put(who.id(), member);
        guarded("onJoin", () -> game.onJoin(member));
    }

    /** A player's connection is gone; nothing more is sent to it. Nothing happens for one the game kicked. */
    public void leave(int id, LeaveReason reason) {
        Member member = players.remove(id);
        if (member != null) {
            member.gone = true;
            if (playing()) {
                guarded("onLeave", () -> game.onLeave(member, reason));
            }
        }
    }

    /** A player's connection dropped; its seat is held (see {@link Game#onDrop}). */
    public void dropped(int id) {
        tell(id, "onDrop", game::onDrop);
    }

    /** A dropped player is back (see {@link Game#onResume}). */
    public void resumed(int id) {
        tell(id, "onResume", game::onResume);
    }

    /** Calls the game's {@code hook} for player {@code id}, if it plays and the game is on. */
    private void tell(int id, String hook, Consumer<Player> call) {
        Member member = players.get(id);
        if (member != null && playing()) {
            guarded(hook, () -> call.accept(member));
        }
    }

    /** Players the matchmaker placed in the lobby did not come (see {@link Game#onSeatsReleased}). */
    public void seatsReleased(int count) {
        if (playing()) {
            guarded("onSeatsReleased", () -> game.onSeatsReleased(count));
        }
    }

    /** Game data from a player; dropped unless it has joined. */
    public void packet(int id, Delivery delivery, byte[] payload) {
        Member member = players.get(id);
        if (member != null && playing()) {
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
    public void broadcast(Delivery delivery, byte[] payload, Predicate<Player> to) {
        for (Member member : new ArrayList<>(players.values())) { // the predicate is game code: it may kick
            if (to.test(member)) {
                member.send(delivery, payload);
            }
        }
    }

    @Override
    public int tickRate() {
        return tickRate;
    }

    @Override
    public void close(String reason) {
        if (closing || disposed) {
            return;
        }
        closing = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        LOG.info("Game in lobby {} closes it: {}", name, reason);
        close.accept(reason);
    }

    @Override
    public void setLabel(Map<String, String> label) {
        if (label.size() > MAX_LABEL_ENTRIES) {
            throw new IllegalArgumentException("a label holds at most " + MAX_LABEL_ENTRIES + " entries");
        }
        label.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > MAX_LABEL_KEY) {
                throw new IllegalArgumentException("label keys are 1 to " + MAX_LABEL_KEY + " characters: " + key);
            }
            if (value == null || value.length() > MAX_LABEL_VALUE) {
                throw new IllegalArgumentException("label values are at most " + MAX_LABEL_VALUE + " characters");
            }
        });
        this.label = Map.copyOf(label);
    }

    /** What the game last set; any thread (listings read it). */
    @Override
    public Map<String, String> label() {
        return label;
    }

    /** A player as the game sees it; gone once it left or was kicked. */
    private final class Member implements Player {
        private final JoinAttempt who;
        private final BiConsumer<Delivery, byte[]> send;
        private final Consumer<String> kick;
        private boolean gone;

        Member(JoinAttempt who, BiConsumer<Delivery, byte[]> send, Consumer<String> kick) {
            this.who = who;
            this.send = send;
            this.kick = kick;
        }

        @Override
        public int id() {
            return who.id();
        }

        @Override
        public String name() {
            return who.name();
        }

        @Override
        public Map<String, String> metadata() {
            return who.metadata();
        }

        @Override
        public Engine engine() {
            return who.engine();
        }

        @Override
        public String userId() {
            return who.userId();
        }

        @Override
        public void send(Delivery delivery, byte[] payload) {
            if (!gone) {
                send.accept(delivery, payload);
            }
        }

        @Override
        public void kick(String reason) {
            if (gone) {
                return;
            }
            // Gone at once, for the game as for the transport; the game hears of it as its next call, not inside
            // this one, and the departure the transport reports later finds nobody to report.
            gone = true;
            players.remove(who.id(), this);
            executor.execute(() -> {
                if (playing()) {
                    guarded("onLeave", () -> game.onLeave(this, LeaveReason.KICKED));
                }
            });
            kick.accept(reason);
        }

        @Override
        public String toString() {
            return "Player " + who.id();
        }
    }
}

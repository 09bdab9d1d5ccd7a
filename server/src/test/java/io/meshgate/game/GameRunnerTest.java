package io.meshgate.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.RecordingGame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The game runner's rules, with the lobby executor played by a queue the test drains. */
class GameRunnerTest {

    private final Queue<Runnable> executor = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final RecordingGame game = new RecordingGame(false);
    private final List<String> events = game.events;
    private final List<String> sent = new ArrayList<>();
    private final List<String> kicked = new ArrayList<>();
    private final List<Player> players = game.players;
    private int made;

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** Makes the one recording game, noting the thread it is made on. */
    private Game make(Room room) {
        made++;
        events.add("made on " + Thread.currentThread().getName());
        return game;
    }

    private final List<String> closes = new ArrayList<>();

    private GameRunner runner(int tickRate) {
        return new GameRunner("test", GameType.of("test", this::make), tickRate, executor::add, timer,
                (game, nanos) -> { }, closes::add);
    }

    private static JoinAttempt who(int id) {
        return new JoinAttempt(id, "p" + id, Map.of(), Engine.GODOT4);
    }

    private void join(GameRunner runner, int id) {
        runner.join(who(id), (delivery, data) -> sent.add(id + " " + delivery),
                reason -> kicked.add(id + " " + reason));
    }

    /** Runs what the game posted to its lobby's executor. */
    private void drain() {
        Runnable task;
        while ((task = executor.poll()) != null) {
            task.run();
        }
    }

    @Test
    void theGameIsMadeWhenTheRunnerStartsNotBefore() {
        GameRunner runner = runner(30);
        assertEquals(0, made, "constructing the runner runs no game code");
        join(runner, 2);
        assertEquals(List.of(), events, "no game yet, so no player either");
        runner.start(Map.of());
        runner.start(Map.of());
        assertEquals(1, made);
        assertEquals(List.of("made on " + Thread.currentThread().getName()), events, "made on the starting thread");
    }

    @Test
    void aGameThatCannotBeMadeIsReportedAndGetsNoCalls() {
        GameRunner runner = new GameRunner("test", GameType.of("test", room -> {
            throw new IllegalStateException("no map file");
        }), 30, executor::add, timer, (game, nanos) -> { }, closes::add);
        assertFalse(runner.start(Map.of()), "the lobby is told, so that it can close");
        assertFalse(runner.start(Map.of()));
        join(runner, 2);
        assertTrue(runner.players().isEmpty());
    }

    @Test
    void joinAndLeaveFollowThePlayersConnection() {
        GameRunner runner = runner(30);
        runner.start(Map.of());
        join(runner, 2);
        join(runner, 2);
        assertEquals(1, runner.players().size(), "one player per id");
        Player player = players.get(0);
        assertEquals("p2", player.name());
        assertEquals(Engine.GODOT4, player.engine());
        player.send(Delivery.RELIABLE, new byte[] {1});
        assertEquals(List.of("2 RELIABLE"), sent);

        runner.leave(2, LeaveReason.DROPPED);
        runner.leave(2, LeaveReason.LEFT);
        player.send(Delivery.RELIABLE, new byte[] {1});
        player.kick("again");
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        assertEquals(List.of("2 RELIABLE"), sent, "nothing reaches a player that left");
        assertEquals(List.of(), kicked, "a player that left cannot be kicked");
        assertEquals(List.of("leave 2 DROPPED"), events.stream().filter(e -> e.startsWith("leave")).toList());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("packet")), "no packets from a player that left");
    }

    @Test
    void aKickedPlayerIsGoneAtOnceAndLeavesOnceAsTheGamesNextCall() {
        GameRunner runner = runner(30);
        runner.start(Map.of());
        join(runner, 2);
        join(runner, 3);
        Player player = players.get(0);
        player.kick("bye");
        assertEquals(List.of("2 bye"), kicked, "the transport is told");
        assertEquals(List.of(3), runner.players().stream().map(Player::id).toList(), "gone from the room at once");
        player.send(Delivery.RELIABLE, new byte[] {1});
        runner.broadcast(Delivery.RELIABLE, new byte[] {1});
        assertEquals(List.of("3 RELIABLE"), sent, "nothing reaches it any more");
        assertTrue(events.stream().noneMatch(e -> e.startsWith("leave")), "not inside the call that kicked");
        drain();
        runner.leave(2, LeaveReason.KICKED); // the transport's own report, later
        player.kick("twice");
        assertEquals(List.of("leave 2 KICKED"), events.stream().filter(e -> e.startsWith("leave")).toList(),
                "one onLeave, never a second after the kick (colyseus#507)");
        assertEquals(List.of("2 bye"), kicked);
    }

    @Test
    void joinAttemptsAreTheGamesToRefuse() {
        RecordingGame picky = new RecordingGame(false) {
            @Override
            public String onJoinAttempt(JoinAttempt attempt) {
                if (attempt.name().equals("boom")) {
                    throw new IllegalStateException("a game bug");
                }
                return attempt.name().equals("banned") ? "You are banned" : null;
            }
        };
        GameRunner runner = new GameRunner("test", GameType.of("test", room -> picky), 0, executor::add, timer,
                (game, nanos) -> { }, closes::add);
        runner.start(Map.of());
        assertEquals(null, runner.attempt(who(2)));
        assertEquals("You are banned", runner.attempt(new JoinAttempt(3, "banned", Map.of(), Engine.GODOT3)));
        assertEquals("Refused by the game", runner.attempt(new JoinAttempt(4, "boom", Map.of(), Engine.GODOT4)),
                "a game that throws refuses");
    }

    @Test
    void aGameThatClosesItsRoomHearsNothingButItsDispose() {
        GameRunner runner = runner(30);
        runner.start(Map.of("map", "dunes"));
        assertEquals(List.of("made on " + Thread.currentThread().getName(), "create {map=dunes}"), events);
        join(runner, 2);
        runner.close("Round over");
        runner.close("again");
        assertEquals(List.of("Round over"), closes, "the lobby is asked once");
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        runner.leave(2, LeaveReason.KICKED);
        join(runner, 3);
        assertEquals(null, runner.attempt(who(4)), "not asked: the closing lobby tells the client");
        runner.dispose();
        assertEquals(List.of("join 2", "dispose"), events.subList(2, events.size()));
    }

    @Test
    void aLabelIsBoundedAndReplacedWhole() {
        GameRunner runner = runner(30);
        runner.setLabel(Map.of("map", "dunes", "mode", "ffa"));
        runner.setLabel(Map.of("map", "ice"));
        assertEquals(Map.of("map", "ice"), runner.label());
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 17; i++) {
            many.put("k" + i, "v");
        }
        assertThrows(IllegalArgumentException.class, () -> runner.setLabel(many));
        assertThrows(IllegalArgumentException.class, () -> runner.setLabel(Map.of("", "v")));
        assertThrows(IllegalArgumentException.class, () -> runner.setLabel(Map.of("k", "v".repeat(129))));
        assertEquals(Map.of("map", "ice"), runner.label(), "a refused label leaves the last one");
    }

    @Test
    void broadcastReachesTheChosenPlayers() {
        GameRunner runner = runner(30);
        runner.start(Map.of());
        join(runner, 2);
        join(runner, 3);
        join(runner, 4);
        runner.broadcast(Delivery.UNRELIABLE, new byte[] {1}, player -> player.id() != 3);
        assertEquals(List.of("2 UNRELIABLE", "4 UNRELIABLE"), sent);
    }

    @Test
    void aGameWithoutATickIsNeverScheduled() {
        ScheduledThreadPoolExecutor watched = new ScheduledThreadPoolExecutor(1);
        try {
            GameRunner runner = new GameRunner("test", GameType.of("test", this::make, 0, 2), 0, executor::add,
                    watched, (game, nanos) -> { }, closes::add);
            runner.start(Map.of());
            assertEquals(0, runner.tickRate());
            assertEquals(0, watched.getQueue().size(), "no ticker");
        } finally {
            watched.shutdownNow();
        }
    }

    @Test
    void aGameThatThrowsGoesOn() {
        GameRunner runner = runner(30);
        runner.start(Map.of());
        join(runner, 2);
        runner.packet(2, Delivery.RELIABLE, new byte[0]);
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        assertEquals("packet 2 RELIABLE 1", events.get(events.size() - 1));
    }

    @Test
    void afterDisposeTheGameHearsNothingMore() {
        GameRunner runner = runner(30);
        runner.start(Map.of());
        join(runner, 2);
        runner.dispose();
        runner.dispose();
        join(runner, 3);
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        runner.leave(2, LeaveReason.LEFT);
        assertEquals(List.of("dispose"), events.subList(events.size() - 1, events.size()));
        assertEquals(1, events.stream().filter(e -> e.equals("dispose")).count());
        assertTrue(events.stream().noneMatch(e -> e.equals("join 3") || e.startsWith("leave 2")));
    }

    @Test
    void ticksArePostedToTheLobbyExecutorAndNeverPileUp() {
        List<Runnable> timerTasks = new ArrayList<>();
        ScheduledThreadPoolExecutor manualTimer = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long delay, long period, TimeUnit unit) {
                timerTasks.add(command);
                return super.schedule(() -> { }, 1, TimeUnit.DAYS);
            }
        };
        try {
            GameRunner runner = new GameRunner("test", GameType.of("test", this::make), 30, executor::add,
                    manualTimer, (game, nanos) -> { }, closes::add);
            runner.start(Map.of());
            assertEquals(1, timerTasks.size());
            for (int i = 0; i < 10; i++) {
                timerTasks.get(0).run(); // ten periods pass while the lobby is busy
            }
            assertEquals(1, executor.size(), "ticks that a busy lobby misses are skipped, not queued");
            executor.poll().run();
            assertEquals("tick", events.get(events.size() - 1), "the tick ran where the executor ran it");
            timerTasks.get(0).run();
            assertEquals(1, executor.size(), "the next period posts the next tick");
        } finally {
            manualTimer.shutdownNow();
        }
    }
}

package io.meshgate.game;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.RecordingGame;
import java.util.ArrayList;
import java.util.List;
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

    private GameRunner runner(int tickRate) {
        return new GameRunner("test", GameType.of("test", this::make), tickRate, executor::add, timer,
                (game, nanos) -> { });
    }

    private void join(GameRunner runner, int id) {
        runner.join(id, (delivery, data) -> sent.add(id + " " + delivery), reason -> kicked.add(id + " " + reason));
    }

    @Test
    void theGameIsMadeWhenTheRunnerStartsNotBefore() {
        GameRunner runner = runner(30);
        assertEquals(0, made, "constructing the runner runs no game code");
        join(runner, 2);
        assertEquals(List.of(), events, "no game yet, so no player either");
        runner.start();
        runner.start();
        assertEquals(1, made);
        assertEquals(List.of("made on " + Thread.currentThread().getName()), events, "made on the starting thread");
    }

    @Test
    void aGameThatCannotBeMadeIsReportedAndGetsNoCalls() {
        GameRunner runner = new GameRunner("test", GameType.of("test", room -> {
            throw new IllegalStateException("no map file");
        }), 30, executor::add, timer, (game, nanos) -> { });
        assertFalse(runner.start(), "the lobby is told, so that it can close");
        assertFalse(runner.start());
        join(runner, 2);
        assertTrue(runner.players().isEmpty());
    }

    @Test
    void joinLeaveAndKickFollowThePlayersConnection() {
        GameRunner runner = runner(30);
        runner.start();
        join(runner, 2);
        join(runner, 2);
        assertEquals(1, runner.players().size(), "one player per id");
        Player player = players.get(0);
        player.send(Delivery.RELIABLE, new byte[] {1});
        player.kick("bye");
        assertEquals(List.of("2 RELIABLE"), sent);
        assertEquals(List.of("2 bye"), kicked);

        runner.leave(2);
        runner.leave(2);
        player.send(Delivery.RELIABLE, new byte[] {1});
        player.kick("again");
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        assertEquals(List.of("2 RELIABLE"), sent, "nothing reaches a player that left");
        assertEquals(List.of("2 bye"), kicked);
        assertEquals(1, events.stream().filter(e -> e.equals("leave 2")).count());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("packet")), "no packets from a player that left");
    }

    @Test
    void aGameThatThrowsGoesOn() {
        GameRunner runner = runner(30);
        runner.start();
        join(runner, 2);
        runner.packet(2, Delivery.RELIABLE, new byte[0]);
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        assertEquals("packet 2 RELIABLE 1", events.get(events.size() - 1));
    }

    @Test
    void afterDisposeTheGameHearsNothingMore() {
        GameRunner runner = runner(30);
        runner.start();
        join(runner, 2);
        runner.dispose();
        runner.dispose();
        join(runner, 3);
        runner.packet(2, Delivery.RELIABLE, new byte[] {1});
        runner.leave(2);
        assertEquals(List.of("dispose"), events.subList(events.size() - 1, events.size()));
        assertEquals(1, events.stream().filter(e -> e.equals("dispose")).count());
        assertTrue(events.stream().noneMatch(e -> e.equals("join 3") || e.equals("leave 2")));
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
                    manualTimer, (game, nanos) -> { });
            runner.start();
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

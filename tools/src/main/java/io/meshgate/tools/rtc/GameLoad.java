package io.meshgate.tools.rtc;

import io.meshgate.rtc.IceServers;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.server.Histogram;
import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import io.meshgate.tools.ServerStats;
import io.meshgate.tools.Procfs;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Benchmark of server-hosted play: N lobbies of K WebRTC bots join (each lobby's first bot creates it), open their
 * channels to the server, then send arena inputs at a fixed rate for T seconds while the server ticks the game.
 * Reports join-to-channels-open latency, the server's tick durations (from its /stats), snapshots received, server
 * CPU and RSS. One JSON line.
 */
public final class GameLoad {

    private static final String USAGE = """
            Usage: java -jar meshgate-tools.jar game-load [--option value]...
              --url URL            server (default ws://127.0.0.1:9080/)
              --admin-url URL      its admin listener, for /stats (default http://127.0.0.1:9081/)
              --admin-token T      the admin token (default: $MESHGATE_ADMIN_TOKEN)
              --lobbies N          server-hosted lobbies (default 64)
              --lobby-size K       bots per lobby (default 4)
              --input-hz H         inputs per second per bot (default 30)
              --seconds T          measured play time (default 30)
              --parallel P         bots joining at once (default 16)
              --server-pid PID     report this process's CPU and RSS
              --label TEXT         copied into the output
            """;

    public static int run(String[] argv) throws Exception {
        return Benchmark.run("game-load", USAGE, argv, GameLoad::measure);
    }

    /** Runs the benchmark and returns its figures; "ok" says whether it completed without failures. */
    public static Map<String, Object> measure(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI uri = URI.create(args.string("url", "ws://127.0.0.1:9080/"));
        int lobbies = args.integer("lobbies", 64);
        int lobbySize = args.integer("lobby-size", 4);
        int inputHz = args.integer("input-hz", 30);
        int seconds = args.integer("seconds", 30);
        int parallel = args.integer("parallel", 16);
        int serverPid = args.integer("server-pid", 0);
        String label = args.string("label", "");
        ServerStats stats = new ServerStats(URI.create(args.string("admin-url", "http://127.0.0.1:9081/")),
                args.string("admin-token", System.getenv().getOrDefault("MESHGATE_ADMIN_TOKEN", "")));
        args.rejectUnknown();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "game-load");
        out.put("label", label);
        out.put("lobbies", lobbies);
        out.put("lobbySize", lobbySize);
        out.put("inputHz", inputHz);

        int total = lobbies * lobbySize;
        RtcEngine engine = new RtcEngine(new RtcEngine.Settings(IceServers.none(), List.of(), 1_000_000_000,
                1, Duration.ofSeconds(60), 0, 0));
        WebSocketClient signaling = new WebSocketClient();
        signaling.start();
        List<RtcBot> bots = new ArrayList<>();
        Histogram joinToOpen = new Histogram();
        CountDownLatch open = new CountDownLatch(total);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        BlockingQueue<Runnable> arrivals = new LinkedBlockingQueue<>();
        java.util.concurrent.Semaphore joining = new java.util.concurrent.Semaphore(parallel);
        try {
            for (int l = 0; l < lobbies; l++) {
                List<RtcBot> lobbyBots = new ArrayList<>();
                RtcBot.Events events = new RtcBot.Events() {
                    @Override
                    public void joined(RtcBot bot, String lobby) {
                        if (bot == lobbyBots.get(0)) {
                            for (RtcBot joiner : lobbyBots.subList(1, lobbyBots.size())) {
                                arrivals.add(() -> start(joiner, signaling, uri, 0, lobby, failed));
                            }
                        }
                    }

                    @Override
                    public void opened(RtcBot bot) {
                        joinToOpen.record((bot.openedAt - bot.joinSentAt) / 1000);
                        joining.release();
                        open.countDown();
                    }

                    @Override
                    public void closed(RtcBot bot, String reason) {
                        if (bot.openedAt == 0) {
                            joining.release();
                        }
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, reason);
                    }
                };
                for (int k = 0; k < lobbySize; k++) {
                    lobbyBots.add(new RtcBot(engine, events));
                }
                bots.addAll(lobbyBots);
                RtcBot creator = lobbyBots.get(0);
                arrivals.add(() -> start(creator, signaling, uri, 3, "", failed));
            }
            long begin = System.nanoTime();
            long deadline = begin + TimeUnit.SECONDS.toNanos(180);
            int started = 0;
            while (started < total && System.nanoTime() < deadline && failed.get() == 0) {
                Runnable arrival = arrivals.poll(100, TimeUnit.MILLISECONDS);
                if (arrival != null) {
                    joining.acquire();
                    arrival.run();
                    started++;
                }
            }
            boolean allOpen = open.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            out.put("opened", total - open.getCount());
            out.put("setupSeconds", Math.round((System.nanoTime() - begin) / 1e7) / 100.0);
            out.put("joinToOpenP50Ms", joinToOpen.percentile(50) / 1000.0);
            out.put("joinToOpenP99Ms", joinToOpen.percentile(99) / 1000.0);
            out.put("joinToOpenMaxMs", joinToOpen.percentile(100) / 1000.0);
            if (!allOpen || failed.get() > 0) {
                out.put("ok", false);
                out.put("failed", failed.get());
                out.put("firstFailure", String.valueOf(firstFailure.get()));
                return out;
            }

            stats.read("?reset=1");
            long cpuStart = Procfs.cpuTicks(serverPid);
            long[] snapshotsStart = bots.stream().mapToLong(b -> b.snapshots.get()).toArray();
            ScheduledExecutorService inputs = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger refused = new AtomicInteger();
            inputs.scheduleAtFixedRate(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (RtcBot bot : bots) {
                    double angle = random.nextDouble(Math.PI * 2);
                    if (!bot.sendInput((float) Math.cos(angle), (float) Math.sin(angle))) {
                        refused.incrementAndGet();
                    }
                }
            }, 0, 1_000_000_000L / inputHz, TimeUnit.NANOSECONDS);
            long measureStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measured window itself
            inputs.shutdownNow();
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            long cpuEnd = Procfs.cpuTicks(serverPid);
            ServerStats.Reading serverStats = stats.read("");

            double minRate = Double.MAX_VALUE;
            double sumRate = 0;
            for (int i = 0; i < bots.size(); i++) {
                double rate = (bots.get(i).snapshots.get() - snapshotsStart[i]) / elapsed;
                minRate = Math.min(minRate, rate);
                sumRate += rate;
            }
            out.put("seconds", seconds);
            out.put("inputsRefused", refused.get());
            out.put("snapshotsPerSecAvg", Math.round(sumRate / bots.size() * 10) / 10.0);
            out.put("snapshotsPerSecMin", Math.round(minRate * 10) / 10.0);
            out.put("serverTickP50Ms", serverStats.number("tick.p50Us") / 1000.0);
            out.put("serverTickP99Ms", serverStats.number("tick.p99Us") / 1000.0);
            out.put("serverTickMaxMs", serverStats.number("tick.maxUs") / 1000.0);
            out.put("serverTicks", serverStats.number("tick.count"));
            if (serverPid > 0) {
                out.put("serverCpuCores", Math.round((cpuEnd - cpuStart) / elapsed) / 100.0);
                out.put("serverRssMb", Procfs.rssKb(serverPid) / 1024);
            }
            out.put("serverThreads", serverStats.number("threads"));
            out.put("failed", failed.get());
            out.put("ok", failed.get() == 0);
            return out;
        } finally {
            bots.forEach(RtcBot::close);
            signaling.stop();
            engine.close();
        }
    }

    private static void start(RtcBot bot, WebSocketClient signaling, URI uri, int joinId, String lobby,
                              AtomicInteger failed) {
        try {
            bot.start(signaling, uri, joinId, lobby);
        } catch (Exception e) {
            failed.incrementAndGet();
        }
    }
}

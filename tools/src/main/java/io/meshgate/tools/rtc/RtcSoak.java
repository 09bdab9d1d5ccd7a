package io.meshgate.tools.rtc;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.rtc.IceServers;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import io.meshgate.tools.Procfs;
import io.meshgate.tools.ServerStats;
import io.meshgate.wire.variant.VariantCodec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Soak benchmark of the server's WebRTC stack: lobby after lobby, a bot creates a server-hosted lobby, opens its
 * channels, sends M messages, waits until they have left, and goes, so the server sees many connection lifecycles
 * and many received messages. Reports the server's heap (after a GC), RSS and OS threads before and after, and its
 * WebRTC factory generations. One JSON line.
 */
public final class RtcSoak {

    private static final long LINGER_MS = 250;

    private static final String USAGE = """
            Usage: java -jar meshgate-tools.jar rtc-soak [--option value]...
              --url URL          server (default ws://127.0.0.1:9080/)
              --admin-url URL    its admin listener, for /stats (default http://127.0.0.1:9081/)
              --admin-token T    the admin token (default: $MESHGATE_ADMIN_TOKEN)
              --lobbies L        lobby lifecycles (default 500)
              --messages M       messages each lobby's bot sends (default 2000)
              --parallel P       lobbies alive at once (default 8)
              --server-pid PID   report this process's RSS and threads from /proc as well
              --label TEXT       copied into the output
            """;

    public static int run(String[] argv) throws Exception {
        return Benchmark.run("rtc-soak", USAGE, argv, RtcSoak::measure);
    }

    /** Runs the benchmark and returns its figures; "ok" says whether it completed without failures. */
    public static Map<String, Object> measure(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI uri = URI.create(args.string("url", "ws://127.0.0.1:9080/"));
        int lobbies = args.integer("lobbies", 500);
        int messages = args.integer("messages", 2000);
        int parallel = args.integer("parallel", 8);
        int serverPid = args.integer("server-pid", 0);
        String label = args.string("label", "");
        ServerStats stats = new ServerStats(URI.create(args.string("admin-url", "http://127.0.0.1:9081/")),
                args.string("admin-token", System.getenv().getOrDefault("MESHGATE_ADMIN_TOKEN", "")));
        args.rejectUnknown();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "rtc-soak");
        out.put("label", label);
        out.put("lobbies", lobbies);
        out.put("messagesPerLobby", messages);

        RtcEngine engine = new RtcEngine(new RtcEngine.Settings(IceServers.none(), List.of(), 100_000,
                1, Duration.ofSeconds(60), 0, 0));
        WebSocketClient signaling = new WebSocketClient();
        signaling.start();
        ExecutorService lanes = Executors.newFixedThreadPool(parallel);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        byte[] payload = VariantCodec.GODOT4.encode(ArenaGame.input(0.5f, 0.5f, 1));
        try {
            // one lifecycle first, so that "before" includes the native library and the first factory
            lifecycle(engine, signaling, uri, payload, 100, failed, firstFailure);
            ServerStats.Reading before = stats.read("?gc=1");
            long receivedBefore = before.number("rtc.messagesReceived");
            long begin = System.nanoTime();
            Future<?>[] done = new Future<?>[lobbies];
            for (int i = 0; i < lobbies; i++) {
                done[i] = lanes.submit(() -> lifecycle(engine, signaling, uri, payload, messages, failed, firstFailure));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            // let the server finish closing the last lobbies before measuring
            ServerStats.Reading after = stats.read("");
            for (int i = 0; i < 100 && (after.number("lobbies") > 0 || after.number("rtc.liveConnections") > 0); i++) {
                Thread.sleep(100); // polling the server's counters; bounded
                after = stats.read("");
            }
            Thread.sleep(500); // retired factories are disposed on the server's cleanup thread
            after = stats.read("?gc=1");
            out.put("seconds", Math.round(seconds * 10) / 10.0);
            out.put("messagesReceivedByServer", after.number("rtc.messagesReceived") - receivedBefore);
            out.put("heapAfterGcBeforeKb", before.number("heapUsedKb"));
            out.put("heapAfterGcAfterKb", after.number("heapUsedKb"));
            out.put("heapCommittedBeforeKb", before.number("heapCommittedKb"));
            out.put("heapCommittedAfterKb", after.number("heapCommittedKb"));
            out.put("rssBeforeKb", before.number("rssKb"));
            out.put("rssAfterKb", after.number("rssKb"));
            out.put("threadsBefore", before.number("threads"));
            out.put("threadsAfter", after.number("threads"));
            out.put("generationsStarted", after.number("rtc.generationsStarted"));
            out.put("generationsDisposed", after.number("rtc.generationsDisposed"));
            out.put("liveConnectionsAfter", after.number("rtc.liveConnections"));
            out.put("lobbiesAfter", after.number("lobbies"));
            if (serverPid > 0) {
                out.put("procRssAfterKb", Procfs.rssKb(serverPid));
                out.put("procThreadsAfter", Procfs.threads(serverPid));
            }
            out.put("failed", failed.get());
            if (firstFailure.get() != null) {
                out.put("firstFailure", firstFailure.get());
            }
            boolean ok = failed.get() == 0 && after.number("rtc.messagesReceived") - receivedBefore
                    >= (long) lobbies * messages;
            out.put("ok", ok);
            return out;
        } finally {
            lanes.shutdownNow();
            signaling.stop();
            engine.close();
        }
    }

    /** One lobby's life: create, open, send, drain, leave. */
    private static void lifecycle(RtcEngine engine, WebSocketClient signaling, URI uri, byte[] payload, int messages,
                                  AtomicInteger failed, AtomicReference<String> firstFailure) {
        CompletableFuture<Void> open = new CompletableFuture<>();
        RtcBot bot = new RtcBot(engine, new RtcBot.Events() {
            @Override
            public void joined(RtcBot b, String lobby) {
            }

            @Override
            public void opened(RtcBot b) {
                open.complete(null);
            }

            @Override
            public void closed(RtcBot b, String reason) {
                open.completeExceptionally(new IllegalStateException(reason));
            }
        });
        try {
            bot.start(signaling, uri, 3, "");
            open.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < messages; i++) {
                while (!bot.sendReliable(payload)) {
                    if (bot.ended()) {
                        throw new IllegalStateException("connection ended while sending");
                    }
                    Thread.sleep(1); // the channel's buffer is full; give it a moment
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!bot.drained() && System.nanoTime() < deadline) {
                Thread.sleep(2); // polling webrtc's buffered amount; bounded
            }
            // "Drained" means handed to SCTP, not delivered; the bot's close aborts the association, so give the
            // last packets time to arrive (the server's own count decides whether they did).
            Thread.sleep(LINGER_MS);
        } catch (Exception e) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, String.valueOf(e.getMessage()));
        } finally {
            bot.close();
        }
    }
}

package io.meshgate.tools.rtc;

import io.meshgate.rtc.IceServers;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.server.Histogram;
import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import io.meshgate.tools.Procfs;
import io.meshgate.wire.godot4.ScenePacket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Benchmark of relay players in peer-hosted lobbies: N client/server lobbies, each hosted by a WebRTC peer with two
 * WebRTC members and one relay player, for whom the server stands in. At a fixed rate every member sends the host a
 * timestamped packet and the host sends one to every member, all on reliable channels; the receivers, in this same
 * process and clock, record each packet's latency. Reports the latency between the host and a WebRTC member against
 * the latency between the host and the relay player (what standing in adds), and the server's CPU per packet it
 * forwarded for the relay players. One JSON line.
 */
public final class StandInLoad {

    private static final String USAGE = """
            Usage: java -jar meshgate-tools.jar stand-in-load [--option value]...
              --url URL            server (default ws://127.0.0.1:9080/)
              --lobbies N          peer-hosted lobbies of 4: a host, two WebRTC members, a relay player (default 1)
              --hz H               packets per second each way per member (default 30)
              --seconds T          measured time (default 20)
              --parallel P         lobbies being set up at once (default 8)
              --server-pid PID     report this process's CPU per forwarded packet and RSS
              --label TEXT         copied into the output
            """;
    private static final byte FROM_WEBRTC = 1;
    private static final byte FROM_RELAY = 2;
    private static final byte FROM_HOST = 3;

    private StandInLoad() {
    }

    public static int run(String[] argv) throws Exception {
        return Benchmark.run("stand-in-load", USAGE, argv, StandInLoad::measure);
    }

    /** A RAW payload: who sent it and when (System.nanoTime, this process's clock). */
    private static byte[] stamp(byte from) {
        return ByteBuffer.allocate(9).put(from).putLong(System.nanoTime()).array();
    }

    /** Records a SceneMultiplayer RAW packet's latency if it is a stamp from {@code from}; true if it was. */
    private static boolean record(byte[] packet, byte from, Histogram into) {
        if (packet.length != 10 || packet[0] != ScenePacket.CMD_RAW || packet[1] != from) {
            return false;
        }
        into.record((System.nanoTime() - ByteBuffer.wrap(packet, 2, 8).getLong()) / 1000);
        return true;
    }

    /** Runs the benchmark and returns its figures; "ok" says whether it completed without failures. */
    public static Map<String, Object> measure(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI uri = URI.create(args.string("url", "ws://127.0.0.1:9080/"));
        int lobbies = args.integer("lobbies", 1);
        int hz = args.integer("hz", 30);
        int seconds = args.integer("seconds", 20);
        int parallel = args.integer("parallel", 8);
        int serverPid = args.integer("server-pid", 0);
        String label = args.string("label", "");
        args.rejectUnknown();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "stand-in-load");
        out.put("label", label);
        out.put("lobbies", lobbies);
        out.put("hz", hz);

        RtcEngine engine = new RtcEngine(new RtcEngine.Settings(IceServers.none(), List.of(), 1_000_000_000,
                1, Duration.ofSeconds(60), 0, 0));
        WebSocketClient signaling = new WebSocketClient();
        signaling.start();
        Histogram toHostWebRtc = new Histogram();
        Histogram toHostRelay = new Histogram();
        Histogram fromHostWebRtc = new Histogram();
        Histogram fromHostRelay = new Histogram();
        AtomicLong forwarded = new AtomicLong();
        // Each lobby is set up when its host, its two WebRTC members and its relay player have their connections.
        int perLobby = 3 + 2 + 1;
        CountDownLatch open = new CountDownLatch(lobbies * perLobby);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        java.util.function.Consumer<String> fail = reason -> {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, reason);
        };
        java.util.concurrent.Semaphore settingUp = new java.util.concurrent.Semaphore(parallel);
        List<PeerHostBot> hosts = new ArrayList<>();
        List<RtcBot> members = new ArrayList<>();
        List<RelayBot> relays = new ArrayList<>();
        try {
            long begin = System.nanoTime();
            for (int l = 0; l < lobbies && failed.get() == 0; l++) {
                settingUp.acquire();
                CountDownLatch lobbyOpen = new CountDownLatch(perLobby);
                Runnable opened = () -> {
                    open.countDown();
                    lobbyOpen.countDown();
                    if (lobbyOpen.getCount() == 0) {
                        settingUp.release();
                    }
                };
                RtcBot.Events memberEvents = new RtcBot.Events() {
                    @Override
                    public void joined(RtcBot bot, String lobby) {
                    }

                    @Override
                    public void opened(RtcBot bot) {
                        opened.run();
                    }

                    @Override
                    public void closed(RtcBot bot, String reason) {
                        if (bot.openedAt == 0 || !reason.contains("by the benchmark")) {
                            fail.accept(reason);
                        }
                    }
                };
                List<RtcBot> lobbyMembers = List.of(new RtcBot(engine, memberEvents), new RtcBot(engine, memberEvents));
                for (RtcBot member : lobbyMembers) {
                    member.onData = (channel, data) -> record(data, FROM_HOST, fromHostWebRtc);
                }
                RelayBot relay = new RelayBot(bot -> opened.run(), fail);
                relay.onData = data -> {
                    if (record(data, FROM_HOST, fromHostRelay)) {
                        forwarded.incrementAndGet();
                    }
                };
                PeerHostBot host = new PeerHostBot(engine, new PeerHostBot.Events() {
                    @Override
                    public void created(PeerHostBot self, String lobby) {
                        for (RtcBot member : lobbyMembers) {
                            try {
                                member.start(signaling, uri, 0, lobby);
                            } catch (Exception e) {
                                fail.accept("member start: " + e);
                            }
                        }
                        try {
                            relay.start(signaling, uri.resolve("/relay/" + lobby));
                        } catch (Exception e) {
                            fail.accept("relay start: " + e);
                        }
                    }

                    @Override
                    public void opened(PeerHostBot self, int peer) {
                        opened.run();
                    }

                    @Override
                    public void failed(PeerHostBot self, String reason) {
                        fail.accept(reason);
                    }
                });
                host.onData = (peer, data) -> {
                    if (record(data, FROM_RELAY, toHostRelay)) {
                        forwarded.incrementAndGet();
                    } else {
                        record(data, FROM_WEBRTC, toHostWebRtc);
                    }
                };
                hosts.add(host);
                members.addAll(lobbyMembers);
                relays.add(relay);
                host.start(signaling, uri);
            }
            boolean allOpen = open.await(180, TimeUnit.SECONDS);
            out.put("setupSeconds", Math.round((System.nanoTime() - begin) / 1e7) / 100.0);
            if (!allOpen || failed.get() > 0) {
                out.put("ok", false);
                out.put("opened", lobbies * perLobby - open.getCount());
                out.put("firstFailure", String.valueOf(firstFailure.get()));
                return out;
            }

            // Warm up for a second, then measure from clean histograms.
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            sender.scheduleAtFixedRate(() -> {
                for (RtcBot member : members) {
                    member.sendReliable(stamp(FROM_WEBRTC));
                }
                for (RelayBot relay : relays) {
                    relay.send(ScenePacket.raw(stamp(FROM_RELAY)));
                }
                for (PeerHostBot host : hosts) {
                    host.sendToAll(stamp(FROM_HOST));
                }
            }, 0, 1_000_000_000L / hz, TimeUnit.NANOSECONDS);
            Thread.sleep(1000); // warm-up
            for (Histogram h : List.of(toHostWebRtc, toHostRelay, fromHostWebRtc, fromHostRelay)) {
                h.reset();
            }
            forwarded.set(0);
            long cpuStart = Procfs.cpuTicks(serverPid);
            long measureStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measured window itself
            long cpuEnd = Procfs.cpuTicks(serverPid);
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            long forwardedInWindow = forwarded.get();
            sender.shutdownNow();

            out.put("seconds", seconds);
            put(out, "hostToWebRtc", fromHostWebRtc);
            put(out, "hostToRelay", fromHostRelay);
            put(out, "webRtcToHost", toHostWebRtc);
            put(out, "relayToHost", toHostRelay);
            out.put("addedP50Ms", Math.round((fromHostRelay.percentile(50) + toHostRelay.percentile(50)
                    - fromHostWebRtc.percentile(50) - toHostWebRtc.percentile(50)) / 2.0) / 1000.0);
            out.put("addedP99Ms", Math.round((fromHostRelay.percentile(99) + toHostRelay.percentile(99)
                    - fromHostWebRtc.percentile(99) - toHostWebRtc.percentile(99)) / 2.0) / 1000.0);
            out.put("forwardedPerSec", Math.round(forwardedInWindow / elapsed));
            if (serverPid > 0) {
                long cpuMicros = (cpuEnd - cpuStart) * 10_000; // clock ticks of 10 ms
                out.put("serverCpuCores", Math.round((cpuEnd - cpuStart) / elapsed) / 100.0);
                out.put("serverCpuUsPerForwardedPacket", forwardedInWindow == 0 ? -1
                        : Math.round(cpuMicros * 10.0 / forwardedInWindow) / 10.0);
                out.put("serverRssMb", Procfs.rssKb(serverPid) / 1024);
            }
            out.put("failed", failed.get());
            out.put("ok", failed.get() == 0 && toHostRelay.count() > 0 && fromHostRelay.count() > 0);
            return out;
        } finally {
            members.forEach(RtcBot::close);
            relays.forEach(RelayBot::close);
            hosts.forEach(PeerHostBot::close);
            signaling.stop();
            engine.close();
        }
    }

    private static void put(Map<String, Object> out, String name, Histogram latency) {
        out.put(name + "Count", latency.count());
        out.put(name + "P50Ms", latency.percentile(50) / 1000.0);
        out.put(name + "P99Ms", latency.percentile(99) / 1000.0);
    }
}

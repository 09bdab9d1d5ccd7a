package io.meshgate.tools.load;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.server.Histogram;
import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import io.meshgate.tools.Procfs;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relay benchmark: N Godot 4 relay clients (WebSocketMultiplayerPeer's protocol on /relay/*) quick-play into
 * server-hosted lobbies (the server's --quick-play-size makes their size). Each sends an arena input and a RELAY packet
 * to a random lobby-mate at --input-hz; the relay packet carries its send time, so the receiver reads its delivery
 * latency off one clock. Meanwhile the game's snapshots flow back. One JSON line.
 *
 * <p>Clients' send times are spread over the period, as real players' frame timers are; {@code --aligned} sends every
 * client's packets in one burst per period instead, a worst case that measures queueing behind the burst.
 */
public final class RelayLoad {

    private static final String USAGE = """
            Usage: java -jar meshgate-tools.jar relay-load [--option value]...
              --url URL[,URL...]   server (default ws://127.0.0.1:9080/); several: a cluster's nodes, client i on
                                   node i mod their number
              --clients N          relay clients (default 1000)
              --lobby-size K       players per lobby, as the server's --quick-play-size (default 4)
              --input-hz H         inputs and relay packets per second per client (default 30)
              --seconds T          measured time (default 20)
              --warmup W           seconds of load before measuring, for the server's JIT to settle (default 10)
              --connect-parallel C clients connecting at once (default 64)
              --server-pid PID[,PID...] report this process's CPU and RSS (or these, summed, and each's RSS)
              --aligned            all clients send at the same instant each period (default: phases spread)
              --label TEXT         copied into the output
            """;

    public static int run(String[] argv) throws Exception {
        return Benchmark.run("relay-load", USAGE, argv, RelayLoad::measure);
    }

    /** One relay client; everything it does runs on its loop's thread. */
    private static final class Player implements WsConn.Listener {
        final int index;
        final WsConn conn;
        volatile int id;
        final List<Integer> peers = new ArrayList<>();
        volatile boolean open;
        volatile boolean gone;
        long seq;
        final AtomicLong snapshots = new AtomicLong();

        Player(int index, WsLoop loop, URI uri, Shared shared) {
            this.index = index;
            this.conn = new WsConn(loop, uri, this);
            this.shared = shared;
        }

        private final Shared shared;

        @Override
        public void onOpen(WsConn c) {
            open = true;
        }

        @Override
        public void onText(WsConn c, String text) {
            shared.unexpected.incrementAndGet();
        }

        @Override
        public void onBinary(WsConn c, byte[] data, int offset, int length) {
            ByteBuffer in = ByteBuffer.wrap(data, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            if (id == 0) {
                id = length == 4 ? in.getInt() : -1;
                shared.connected.incrementAndGet();
                return;
            }
            int command = data[offset] & 7;
            if (command == ScenePacket.CMD_RAW) {
                snapshots.incrementAndGet(); // snapshots and game events
            } else if (command == ScenePacket.CMD_SYS && length >= 6) {
                int sub = data[offset + 1];
                int peer = in.getInt(offset + 2);
                if (sub == ScenePacket.SYS_ADD_PEER) {
                    peers.add(peer);
                } else if (sub == ScenePacket.SYS_DEL_PEER) {
                    peers.remove((Integer) peer);
                } else if (sub == ScenePacket.SYS_RELAY && length >= 6 + 1 + 8) {
                    long sentAt = in.getLong(offset + 7);
                    shared.delivered.incrementAndGet();
                    if (shared.measuring) {
                        shared.latency.record((System.nanoTime() - sentAt) / 1000);
                    }
                }
            }
        }

        @Override
        public void onClose(WsConn c, int code, String reason) {
            gone = true;
            if (!shared.finished) {
                shared.closed.incrementAndGet();
                System.err.println("relay client " + index + " closed: " + code + " " + reason);
            }
        }

        /** One input and one timestamped relay packet; on the loop thread. */
        void act() {
            if (gone || id <= 0) {
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double angle = random.nextDouble(Math.PI * 2);
            Map<String, Object> input = ArenaGame.input((float) Math.cos(angle), (float) Math.sin(angle), ++seq);
            conn.sendBinary(ScenePacket.raw(VariantCodec.GODOT4.encode(input)));
            if (!peers.isEmpty()) {
                int to = peers.get(random.nextInt(peers.size()));
                byte[] inner = ByteBuffer.allocate(1 + 8).order(ByteOrder.LITTLE_ENDIAN)
                        .put((byte) ScenePacket.CMD_RAW).putLong(System.nanoTime()).array();
                conn.sendBinary(ScenePacket.fanOut(to, inner));
                shared.sent.incrementAndGet();
            }
        }
    }

    private static final class Shared {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final Histogram latency = new Histogram();
        volatile boolean measuring;
        volatile boolean finished;
    }

    /** CPU ticks (1/100 s) of these processes together. */
    private static long cpuTicks(int[] pids) {
        long ticks = 0;
        for (int pid : pids) {
            ticks += Procfs.cpuTicks(pid);
        }
        return ticks;
    }

    public static Map<String, Object> measure(String[] argv) throws Exception {
        Args args = new Args(argv);
        List<URI> bases = java.util.Arrays.stream(args.string("url", "ws://127.0.0.1:9080/").split(","))
                .map(String::trim).map(URI::create).toList();
        int clients = args.integer("clients", 1000);
        int lobbySize = args.integer("lobby-size", 4);
        int inputHz = args.integer("input-hz", 30);
        int seconds = args.integer("seconds", 20);
        int warmup = args.integer("warmup", 10);
        int parallel = args.integer("connect-parallel", 64);
        int[] serverPids = java.util.Arrays.stream(args.string("server-pid", "").split(",")).map(String::trim)
                .filter(v -> !v.isEmpty()).mapToInt(Integer::parseInt).toArray();
        String label = args.string("label", "");
        boolean aligned = args.flag("aligned");
        args.rejectUnknown();
        List<URI> uris = bases.stream().map(base -> URI.create("ws://" + base.getHost() + ":" + base.getPort()
                + "/relay/*")).toList();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "relay-load");
        out.put("label", label);
        out.put("clients", clients);
        out.put("lobbySize", lobbySize);
        out.put("inputHz", inputHz);
        Shared shared = new Shared();
        List<WsLoop> loops = List.of(new WsLoop("relay-io-0"), new WsLoop("relay-io-1"));
        List<Player> players = new ArrayList<>();
        try {
            long begin = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                // quick play fills lobbies in arrival order: keep a lobby's players on one loop
                players.add(new Player(i, loops.get((i / lobbySize) % loops.size()), uris.get(i % uris.size()),
                        shared));
            }
            for (int i = 0; i < clients; i++) {
                while (i - shared.connected.get() >= parallel && shared.closed.get() == 0) {
                    Thread.sleep(1); // bounded by the connects in flight; no event to wait on from here
                }
                players.get(i).conn.connect();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (shared.connected.get() < clients && shared.closed.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling a counter; bounded
            }
            out.put("connected", shared.connected.get());
            out.put("connectSeconds", Math.round((System.nanoTime() - begin) / 1e7) / 100.0);
            if (shared.connected.get() < clients) {
                out.put("ok", false);
                out.put("closed", shared.closed.get());
                return out;
            }
            Thread.sleep(1000); // ADD_PEERs of the last lobbies arrive; the measured window starts after
            java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            // One period is cut into slices; each client sends in its own slice, once per period.
            int slices = aligned ? 1 : 16;
            AtomicLong tick = new AtomicLong();
            ticker.scheduleAtFixedRate(() -> {
                int slice = (int) (tick.getAndIncrement() % slices);
                for (int i = slice; i < players.size(); i += slices) {
                    Player player = players.get(i);
                    player.conn.loop().execute(player::act);
                }
            }, 0, 1_000_000_000L / inputHz / slices, TimeUnit.NANOSECONDS);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // warm-up, not measured
            long cpuStart = cpuTicks(serverPids);
            long deliveredStart = shared.delivered.get();
            long snapshotsStart = players.stream().mapToLong(p -> p.snapshots.get()).sum();
            shared.latency.reset();
            shared.measuring = true;
            long measureStart = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measured window itself
            shared.measuring = false;
            double elapsed = (System.nanoTime() - measureStart) / 1e9;
            long cpuEnd = cpuTicks(serverPids);
            ticker.shutdownNow();
            long snapshots = players.stream().mapToLong(p -> p.snapshots.get()).sum() - snapshotsStart;
            Thread.sleep(500); // the last relay packets arrive
            out.put("warmupSeconds", warmup);
            out.put("seconds", seconds);
            out.put("relayedPerSec", Math.round((shared.delivered.get() - deliveredStart) / elapsed));
            out.put("aligned", aligned);
            out.put("relayP50Ms", shared.latency.percentile(50) / 1000.0);
            out.put("relayP99Ms", shared.latency.percentile(99) / 1000.0);
            out.put("relayMaxMs", shared.latency.percentile(100) / 1000.0);
            out.put("gamePacketsPerClientPerSec", Math.round(snapshots / elapsed / clients * 10) / 10.0);
            out.put("sent", shared.sent.get());
            out.put("delivered", shared.delivered.get());
            if (serverPids.length > 0) {
                out.put("serverCpuCores", Math.round((cpuEnd - cpuStart) / elapsed) / 100.0);
                long relayed = shared.delivered.get() - deliveredStart;
                if (relayed > 0) { // every relay packet sent, with the inputs and snapshots that go with it
                    out.put("serverCpuUsPerRelayedPacket",
                            Math.round((cpuEnd - cpuStart) * 10_000.0 / relayed * 100) / 100.0);
                }
                long rssKb = 0;
                List<Long> perNode = new ArrayList<>();
                for (int pid : serverPids) {
                    rssKb += Procfs.rssKb(pid);
                    perNode.add(Procfs.rssKb(pid) / 1024);
                }
                out.put("serverRssMb", rssKb / 1024);
                if (serverPids.length > 1) {
                    out.put("serverRssMbPerNode", perNode);
                }
            }
            out.put("closed", shared.closed.get());
            out.put("ok", shared.closed.get() == 0 && shared.unexpected.get() == 0 && shared.delivered.get() > 0);
            return out;
        } finally {
            shared.finished = true;
            players.forEach(p -> p.conn.close());
            for (WsLoop loop : loops) {
                loop.execute(() -> { });
                loop.stop();
            }
        }
    }
}

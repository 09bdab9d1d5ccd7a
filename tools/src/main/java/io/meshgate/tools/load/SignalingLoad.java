package io.meshgate.tools.load;

import io.meshgate.tools.Args;
import io.meshgate.tools.Benchmark;
import io.meshgate.tools.Procfs;
import io.meshgate.server.Histogram;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for any server speaking Godot 4's signaling protocol (Meshgate, Godot's Node server, ...).
 *
 * <p>Opens N clients, puts them in mesh lobbies of K, and measures join latency during the join storm. In relay
 * mode each client then keeps up to W CANDIDATE messages in flight to random members of its lobby; because every
 * client lives in this process, a delivered message credits its sender's window directly and its latency is read off
 * one clock. In idle mode the clients just stay connected. Output: one JSON line.
 */
public final class SignalingLoad {

    private static final String USAGE = """
            Usage: java -jar meshgate-tools.jar signaling-load [--option value]...
              --url URL[,URL...]   server to load (default ws://127.0.0.1:9080/); several: the nodes of a
                                   cluster, client i on URL i mod n, so a lobby's members spread over them
              --clients N          clients to open (default 400)
              --lobby-size K       clients per lobby, creator included (default 4)
              --mode relay|idle    relay candidates, or just hold the connections (default relay)
              --window W           relay: messages in flight per client (default 8)
              --rate R             relay open loop instead: R messages a second in all, spread evenly over the
                                   clients, whether or not earlier ones arrived (default 0: the window)
              --warmup S           relay: seconds of relaying before measuring (default 3)
              --seconds T          seconds to measure (relay) or hold (idle) (default 10)
              --join-rate R        client arrivals per second in the storm, 0 = as fast as possible (default 0)
              --connect-parallel C clients connecting or joining at once (default 256)
              --io-threads I       generator threads (default 1: the generator shares the machine)
              --redis-url URL      a cluster's Redis: commands it ran per relayed message
              --redis-pid PID      a cluster's Redis: its CPU per relayed message
              --server-pid PID[,PID...] report the RSS and CPU of this process (or of these, a cluster's nodes,
                                   together) (default: none)
              --label TEXT         copied into the output
            """;

    /** Padding that makes each message as long as a real trickled candidate. */
    private static final String CANDIDATE_TAIL =
            " candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.1 rport 46154 generation 0";

    private final List<URI> uris;
    /** The servers' processes (a cluster's nodes), for their CPU and RSS together; empty: not measured. */
    private final int[] serverPids;
    /** A cluster's Redis: its commands and CPU per relayed message; null and 0 when not given. */
    private final String redisUrl;
    private final int redisPid;
    private final int clientCount;
    private final int lobbySize;
    private final boolean relay;
    private final int window;
    private final int rate;
    private final int warmupSeconds;
    private final int seconds;
    private final int joinRate;
    private final int connectParallel;
    private final int ioThreads;
    private final int serverPid;
    private final String label;

    private final List<Client> clients = new ArrayList<>();
    private final Histogram joinLatency = new Histogram();
    private final Histogram relayLatency = new Histogram();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();
    private final AtomicInteger unexpectedCloses = new AtomicInteger();
    private final AtomicInteger malformed = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final BlockingQueue<Client> joinQueue = new LinkedBlockingQueue<>();
    private volatile CountDownLatch joined;
    private volatile boolean relaying;
    private volatile boolean measuring;
    private volatile boolean finished;

    private SignalingLoad(Args args) {
        uris = java.util.Arrays.stream(args.string("url", "ws://127.0.0.1:9080/").split(",")).map(String::trim)
                .map(URI::create).toList();
        clientCount = args.integer("clients", 400);
        lobbySize = args.integer("lobby-size", 4);
        String mode = args.string("mode", "relay");
        if (!mode.equals("relay") && !mode.equals("idle")) {
            throw new IllegalArgumentException("--mode must be relay or idle");
        }
        relay = mode.equals("relay");
        window = args.integer("window", 8);
        rate = args.integer("rate", 0);
        warmupSeconds = args.integer("warmup", 3);
        seconds = args.integer("seconds", 10);
        joinRate = args.integer("join-rate", 0);
        connectParallel = args.integer("connect-parallel", 256);
        ioThreads = args.integer("io-threads", 1);
        serverPids = java.util.Arrays.stream(args.string("server-pid", "").split(",")).map(String::trim)
                .filter(v -> !v.isEmpty()).mapToInt(Integer::parseInt).toArray();
        serverPid = serverPids.length == 0 ? 0 : serverPids[0];
        redisUrl = args.string("redis-url", "").isEmpty() ? null : args.string("redis-url", "");
        redisPid = args.integer("redis-pid", 0);
        label = args.string("label", "");
        args.rejectUnknown();
        if (clientCount < 2 || lobbySize < 2 || window < 1 || seconds < 1 || ioThreads < 1 || rate < 0) {
            throw new IllegalArgumentException(
                    "need --clients >= 2, --lobby-size >= 2, --window >= 1, --seconds >= 1, --io-threads >= 1");
        }
    }

    /** Runs the generator and prints its JSON line; returns the process exit status. */
    public static int run(String[] argv) throws Exception {
        return Benchmark.run("signaling-load", USAGE, argv, SignalingLoad::runForResult);
    }

    /** Runs the whole scenario and returns its figures. */
    public static Map<String, Object> runForResult(String[] argv) throws Exception {
        return new SignalingLoad(new Args(argv)).execute();
    }

    private Map<String, Object> execute() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool", "signaling-load");
        out.put("label", label);
        out.put("url", uris.size() == 1 ? uris.get(0).toString()
                : String.join(",", uris.stream().map(URI::toString).toList()));
        out.put("mode", relay ? "relay" : "idle");
        out.put("clients", clientCount);
        out.put("lobbySize", lobbySize);
        long rssBefore = serverRssKb();

        List<WsLoop> loops = new ArrayList<>();
        for (int i = 0; i < ioThreads; i++) {
            loops.add(new WsLoop("load-io-" + i));
        }
        try {
            joinStorm(loops, out);
            if (!(Boolean) out.get("joinedAll")) {
                out.put("ok", false);
                return out;
            }
            if (relay) {
                relayPhase(out);
            } else {
                long rssJoined = serverRssKb();
                long cpuStart = serverCpuTicks();
                sleepSeconds(seconds);
                long cpuEnd = serverCpuTicks();
                long rssAfter = serverRssKb();
                if (serverPid > 0) {
                    out.put("serverRssBeforeMb", round(rssBefore / 1024.0));
                    out.put("serverRssJoinedMb", round(rssJoined / 1024.0));
                    out.put("serverRssAfterIdleMb", round(rssAfter / 1024.0));
                    out.put("serverKbPerConnection", round((rssAfter - rssBefore) / (double) clientCount));
                    out.put("serverCpuIdleCores", round((cpuEnd - cpuStart) / 100.0 / seconds));
                }
                out.put("idleSeconds", seconds);
                out.put("stillOpen", clients.stream().filter(c -> c.open).count());
            }
            if (serverPid > 0 && relay) {
                out.put("serverRssMb", round(serverRssKb() / 1024.0));
            }
            out.put("unexpectedCloses", unexpectedCloses.get());
            out.put("malformed", malformed.get());
            boolean ok = unexpectedCloses.get() == 0 && malformed.get() == 0
                    && (!relay || (Long) out.get("lost") == 0);
            out.put("ok", ok);
            return out;
        } finally {
            finished = true;
            for (Client client : clients) {
                client.conn.close();
            }
            // The server's replies end the connections; bounded, as a server that does not answer must not hang us.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline && clients.stream().anyMatch(c -> !c.conn.isClosed())) {
                Thread.sleep(10); // polling the connections' flags; the loops' threads set them
            }
            for (WsLoop loop : loops) {
                loop.stop();
            }
        }
    }

    /**
     * The join storm, as real clients arrive: each connects and sends JOIN as soon as its socket opens (servers close
     * sockets that wait to join). Creators arrive first; a lobby's joiners arrive once its name is known. At most
     * {@code connectParallel} arrivals are in progress at once, and {@code joinRate} paces them if set.
     */
    private void joinStorm(List<WsLoop> loops, Map<String, Object> out) throws InterruptedException {
        joined = new CountDownLatch(clientCount);
        Semaphore inProgress = new Semaphore(connectParallel);
        for (int i = 0; i < clientCount; i++) {
            // a whole lobby on one loop: crediting a sender never crosses threads
            clients.add(new Client(i, inProgress, loops.get((i / lobbySize) % loops.size())));
        }
        for (int start = 0; start < clientCount; start += lobbySize) {
            Client creator = clients.get(start);
            creator.joiners = clients.subList(start + 1, Math.min(clientCount, start + lobbySize));
            joinQueue.add(creator);
        }
        long begin = System.nanoTime();
        long interval = joinRate > 0 ? 1_000_000_000L / joinRate : 0;
        long next = begin;
        int issued = 0;
        long deadline = begin + TimeUnit.SECONDS.toNanos(180);
        while (issued < clientCount && System.nanoTime() < deadline && failures.get() == 0) {
            Client client = joinQueue.poll(100, TimeUnit.MILLISECONDS);
            if (client == null) {
                continue;
            }
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            inProgress.acquire();
            client.conn.connect();
            issued++;
        }
        while (joined.getCount() > 0 && failures.get() == 0 && System.nanoTime() < deadline) {
            joined.await(100, TimeUnit.MILLISECONDS);
        }
        double stormMs = (System.nanoTime() - begin) / 1e6;
        out.put("joinedAll", joined.getCount() == 0);
        out.put("joined", clientCount - joined.getCount());
        out.put("failedClients", failures.get());
        out.put("joinRate", joinRate);
        out.put("joinStormMs", round(stormMs));
        out.put("joinsPerSec", round(joinLatency.count() / (stormMs / 1000.0)));
        out.put("joinP50Ms", round(joinLatency.percentile(50) / 1000.0));
        out.put("joinP90Ms", round(joinLatency.percentile(90) / 1000.0));
        out.put("joinP99Ms", round(joinLatency.percentile(99) / 1000.0));
        out.put("joinMaxMs", round(joinLatency.percentile(100) / 1000.0));
    }

    private void relayPhase(Map<String, Object> out) throws InterruptedException {
        // Every member must know every other before it may address them.
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Client client : clients) {
            while (client.peers.length < client.expectedPeers() && System.nanoTime() < settle) {
                Thread.sleep(5); // waiting for PEER_CONNECTs still in flight after JOIN; bounded above
            }
        }
        relaying = true;
        java.util.concurrent.ScheduledExecutorService pacer = null;
        if (rate > 0) {
            pacer = pace();
        } else {
            for (Client client : clients) {
                client.conn.loop().execute(client::pump);
            }
        }
        sleepSeconds(warmupSeconds);
        // Redis's counters are read over a connection made before the window: making one (a Lettuce client, its
        // threads, its classes the first time) took seconds on a saturated machine, and the CPU ticks read around it
        // then covered seconds more than the window they were divided by (three nodes "used" 3.3 of the 2 cores).
        RedisStats redis = RedisStats.open(redisUrl);
        long redisStart = redis.commands();
        relayLatency.reset();
        long cpuStart = serverCpuTicks();
        long redisCpuStart = Procfs.cpuTicks(redisPid);
        long countStart = received.get();
        measuring = true;
        long begin = System.nanoTime();
        sleepSeconds(seconds);
        long count = received.get() - countStart;
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long cpuEnd = serverCpuTicks();
        long redisCpuEnd = Procfs.cpuTicks(redisPid);
        measuring = false;
        long redisEnd = redis.commands();
        redis.close();
        relaying = false;
        if (pacer != null) {
            pacer.shutdownNow();
        }
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < sent.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(10); // in-flight messages arriving; bounded above
        }
        out.put(rate > 0 ? "rate" : "window", rate > 0 ? rate : window);
        out.put("warmupSeconds", warmupSeconds);
        out.put("seconds", seconds);
        out.put("relayed", count);
        out.put("relayPerSec", Math.round(count / elapsed));
        out.put("relayP50Ms", round(relayLatency.percentile(50) / 1000.0));
        out.put("relayP99Ms", round(relayLatency.percentile(99) / 1000.0));
        out.put("relayMaxMs", round(relayLatency.percentile(100) / 1000.0));
        out.put("sent", sent.get());
        out.put("received", received.get());
        out.put("lost", sent.get() - received.get());
        if (serverPid > 0) {
            out.put("serverCpuCores", round((cpuEnd - cpuStart) / 100.0 / elapsed));
            // clock ticks of 10 ms: the server's CPU time over the window, per message it relayed in it
            out.put("serverCpuUsPerMessage", count == 0 ? -1 : round((cpuEnd - cpuStart) * 10_000.0 / count));
        }
        if (serverPids.length > 1) {
            List<Double> perNode = new ArrayList<>();
            for (int pid : serverPids) {
                perNode.add(round(Procfs.rssKb(pid) / 1024.0));
            }
            out.put("serverRssMbPerNode", perNode);
        }
        if (redisStart >= 0 && redisEnd >= 0) {
            // the counting's own INFO is one command, not worth subtracting at these counts
            out.put("redisCommandsPerMessage", count == 0 ? -1 : round((redisEnd - redisStart) / (double) count));
        }
        if (redisPid > 0) {
            out.put("redisCpuUsPerMessage", count == 0 ? -1 : round((redisCpuEnd - redisCpuStart) * 10_000.0 / count));
        }
    }

    /**
     * Open loop: every 5 ms each loop sends what its clients owe by then, {@code rate} messages a second in all,
     * whether or not earlier ones arrived (as real clients trickle candidates), each to a random lobby mate.
     */
    private java.util.concurrent.ScheduledExecutorService pace() {
        Map<WsLoop, List<Client>> byLoop = new LinkedHashMap<>();
        for (Client client : clients) {
            byLoop.computeIfAbsent(client.conn.loop(), l -> new ArrayList<>()).add(client);
        }
        double perClientPerNano = rate / (double) clientCount / 1e9;
        long start = System.nanoTime();
        java.util.concurrent.ScheduledExecutorService pacer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> new Thread(r, "load-pacer"));
        pacer.scheduleAtFixedRate(() -> {
            for (Map.Entry<WsLoop, List<Client>> loop : byLoop.entrySet()) {
                loop.getKey().execute(() -> {
                    long due = (long) ((System.nanoTime() - start) * perClientPerNano);
                    for (Client client : loop.getValue()) {
                        client.sendDue(due);
                    }
                });
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        return pacer;
    }

    private long serverCpuTicks() {
        long ticks = 0;
        for (int pid : serverPids) {
            ticks += Procfs.cpuTicks(pid);
        }
        return ticks;
    }

    private long serverRssKb() {
        long kb = 0;
        for (int pid : serverPids) {
            kb += Procfs.rssKb(pid);
        }
        return kb;
    }

    /** Commands Redis has run since it started (its INFO), or -1 without --redis-url. */
    /** Redis's count of commands it processed, read over one connection; without a URL, -1 each time. */
    private record RedisStats(io.lettuce.core.RedisClient client,
                              io.lettuce.core.api.StatefulRedisConnection<String, String> connection) {

        static RedisStats open(String url) {
            if (url == null) {
                return new RedisStats(null, null);
            }
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(url);
            return new RedisStats(client, client.connect());
        }

        long commands() {
            if (connection == null) {
                return -1;
            }
            for (String line : connection.sync().info("stats").split("\r?\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return -1;
        }

        void close() {
            if (client != null) {
                connection.close();
                client.shutdown();
            }
        }
    }

    private static void sleepSeconds(int seconds) throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measurement window itself, not synchronisation
    }

    /** One simulated Godot client; everything it does runs on its connection's loop thread. */
    private final class Client implements WsConn.Listener {
        private final int index;
        private final Semaphore arrivals;
        final WsConn conn;
        volatile boolean open;
        List<Client> joiners = List.of();
        private volatile String lobbyToJoin = "";
        private long joinSentAt;
        private volatile int[] peers = new int[0];
        private int inFlight;
        private long sentByMe;
        private boolean hasJoined;

        Client(int index, Semaphore arrivals, WsLoop loop) {
            this.index = index;
            this.arrivals = arrivals;
            this.conn = new WsConn(loop, uris.get(index % uris.size()), this);
        }

        int expectedPeers() {
            int start = index - index % lobbySize;
            return Math.min(clientCount, start + lobbySize) - start - 1;
        }

        @Override
        public void onOpen(WsConn conn) {
            open = true;
            joinSentAt = System.nanoTime();
            conn.sendText(SignalCodec.encode(SignalMessage.JOIN, 0, lobbyToJoin));
        }

        @Override
        public void onText(WsConn conn, String text) {
            SignalMessage message;
            try {
                message = SignalCodec.decode(text);
            } catch (MalformedMessageException e) {
                malformed.incrementAndGet();
                return;
            }
            switch (message.type()) {
                case SignalMessage.JOIN -> {
                    hasJoined = true;
                    joinLatency.record((System.nanoTime() - joinSentAt) / 1000);
                    arrivals.release();
                    for (Client joiner : joiners) {
                        joiner.lobbyToJoin = message.data();
                        joinQueue.add(joiner);
                    }
                    joined.countDown();
                }
                case SignalMessage.PEER_CONNECT -> {
                    int[] now = Arrays.copyOf(peers, peers.length + 1);
                    now[peers.length] = message.id();
                    peers = now;
                }
                case SignalMessage.PEER_DISCONNECT -> peers = Arrays.stream(peers).filter(p -> p != message.id()).toArray();
                case SignalMessage.CANDIDATE -> delivered(message.data());
                default -> {
                }
            }
        }

        private void delivered(String data) {
            long now = System.nanoTime();
            // data is "\n0\n0\nm <sender> <sentAt> candidate:..."
            int at = data.indexOf("m ");
            int space = data.indexOf(' ', at + 2);
            int end = data.indexOf(' ', space + 1);
            if (at < 0 || space < 0 || end < 0) {
                malformed.incrementAndGet();
                return;
            }
            int sender = Integer.parseInt(data, at + 2, space, 10);
            long sentAt = Long.parseLong(data, space + 1, end, 10);
            received.incrementAndGet();
            if (measuring) {
                relayLatency.record((now - sentAt) / 1000);
            }
            if (rate == 0) {
                Client from = clients.get(sender);
                from.inFlight--;
                from.pump();
            }
        }

        /** Open loop: sends until this client has sent {@code due} in all; on its loop thread. */
        void sendDue(long due) {
            int[] known = peers;
            while (relaying && sentByMe < due && known.length > 0) {
                sentByMe++;
                send(known[ThreadLocalRandom.current().nextInt(known.length)]);
            }
        }

        private void send(int to) {
            sent.incrementAndGet();
            conn.sendText(SignalCodec.encode(SignalMessage.CANDIDATE, to,
                    "\n0\n0\nm " + index + " " + System.nanoTime() + CANDIDATE_TAIL));
        }

        /** Fills this client's window; runs on its loop thread. */
        void pump() {
            int[] known = peers;
            while (relaying && inFlight < window && known.length > 0) {
                inFlight++;
                send(known[ThreadLocalRandom.current().nextInt(known.length)]);
            }
        }

        @Override
        public void onClose(WsConn conn, int code, String reason) {
            open = false;
            if (!hasJoined) {
                // refused before or during its join: the storm must stop waiting for this client and its lobby
                hasJoined = true;
                failures.incrementAndGet();
                arrivals.release();
            }
            if (!finished) {
                unexpectedCloses.incrementAndGet();
                System.err.println("client " + index + " closed: " + code + " " + reason);
            }
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}

package io.meshgate.server;

import io.meshgate.auth.Tokens;
import io.meshgate.cluster.Cluster;
import io.meshgate.cluster.RemoteLobbies;
import io.meshgate.cluster.RemoteMatches;
import io.meshgate.cluster.RemoteSessions;
import io.meshgate.game.GameType;
import io.meshgate.game.Games;
import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.host.SetupLimit;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.HostFactory;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.match.MatchService;
import io.meshgate.match.Matchmaker;
import io.meshgate.net.ClientAddress;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.Outbound;
import io.meshgate.relay.StandIns;
import io.meshgate.rtc.IceServers;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.signaling.GStreamerRegistry;
import io.meshgate.signaling.RoomsPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server: Jetty, the lobby core, the connection watchdog, and their orderly start and stop. */
public final class MeshgateServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshgateServer.class);

    private final Config config;
    private final ScheduledThreadPoolExecutor timer;
    private final ForkJoinPool workers;
    private final LobbyService lobbies;
    private final Connections connections;
    private final RtcEngine rtc;
    /** ICE servers for the server's own peer connections and, with credentials each, for clients. */
    private final IceServers ice;
    /** Relay players' stand-ins in peer-hosted lobbies: their WebRTC connections and limits. */
    private final StandIns standIns;
    private final Hosts hosts = new Hosts();
    /** Durations of every game tick of every lobby, in microseconds. */
    private final Histogram tickTimes = new Histogram();
    private final Server jetty;
    private final ServerConnector connector;
    /** Null unless a certificate was configured. */
    private final ServerConnector tlsConnector;
    private final ServerConnector adminConnector;
    private final RequestDeadline requestDeadline;
    private final MatchService matches;
    /** Null on a single node (no --cluster-redis). */
    private final Cluster cluster;
    /** The matchmaker's skill windows: where they start, how fast they widen per second waited, how wide they get. */
    static final double SKILL_WINDOW = 100;
    static final double SKILL_WINDOW_GROWTH = 50;
    static final double MAX_SKILL_WINDOW = 600;
    /** Jetty's read buffer and first text builder per WebSocket message (see where the container is configured). */
    private static final int INPUT_BUFFER_BYTES = 1024;
    /** Set as the server is built, before any lobby can tick; read by the hosts' tick callback. */
    private volatile Metrics metrics;
    private volatile boolean stopped;
    private volatile boolean draining;
    private final CompletableFuture<Void> stoppedFuture = new CompletableFuture<>();

    /**
     * A server whose server-hosted lobbies run the games on the class path (see {@link GameType}), as {@code --games}
     * and {@code --default-game} choose.
     */
    public MeshgateServer(Config config) {
        this(config, Games.load(config.games(), config.defaultGame()));
    }

    /** A server whose server-hosted lobbies run {@code games}. */
    public MeshgateServer(Config config, Games games) {
        this.config = config;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "meshgate-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = new ForkJoinPool(config.workerThreads(), pool -> {
            var thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("meshgate-lobby-" + workerNumber.incrementAndGet());
            return thread;
        }, null, true);
        // The native library loads only when the first server-hosted lobby needs a peer connection.
        this.ice = new IceServers(config.iceServers(), config.iceUsername(), config.iceCredential(),
                config.turnSecret(), config.turnTtl(), Clock.systemUTC());
        this.rtc = new RtcEngine(new RtcEngine.Settings(ice, config.rtcRevealCidrs(), config.rtcGenerationBudget(),
                config.rtcUnreliableLifetime(), config.rtcConnectTimeout(), config.rtcMinPort(), config.rtcMaxPort()));
        this.standIns = new StandIns(rtc, config.maxStandIns(), config.maxStandInsPerLobby());
        SetupLimit setups = new SetupLimit(config.rtcMaxPending(), config.rtcMaxPendingPerAddress());
        HostPeer.Settings hosting = new HostPeer.Settings(rtc, timer, config.rtcConnectTimeout(), config.tickRate(),
                (gameName, tickNanos) -> {
                    tickTimes.record(tickNanos / 1000);
                    Metrics current = metrics;
                    if (current != null) {
                        current.tick(gameName, tickNanos);
                    }
                }, hosts, setups);
        HostFactory hostFactory = new HostFactory() {
            @Override
            public String game(String asked) {
                GameType type = games.get(asked);
                return type == null ? null : type.name();
            }

            @Override
            public int maxPlayers(String game) {
                return games.get(game).maxPlayers();
            }

            @Override
            public Peer create(LobbyService service, String name, boolean mesh, Dialect dialect,
                               Executor executor, String game, Map<String, Object> options) {
                return new HostPeer(service, name, mesh, dialect, executor, games.get(game), options, hosting);
            }
        };
        LOG.info("Games offered: {} (default {})", String.join(", ", new TreeSet<>(games.names())),
                games.byDefault().name());
        this.lobbies = new LobbyService(new LobbyService.Limits(config.maxPeers(), config.maxLobbies(),
                config.maxLobbyPeers(), config.sealTimeout(), config.quickPlaySize(), config.maxLobbiesPerAddress(),
                config.resumeWindow()),
                Outbound.batching(workers), timer, hostFactory);
        this.connections = new Connections(new Connections.Settings(config.messageRate(), config.messageBurst(),
                config.maxSendQueueBytes(), config.maxSendQueueTotalBytes(), config.pingInterval(),
                config.pongTimeout(), sweepInterval(config), config.maxPeersPerAddress(),
                config.authSameUserReplaces()), timer, lobbies.journal());
        Matchmaker.Settings rules = new Matchmaker.Settings(config.matchSettle(), SKILL_WINDOW, SKILL_WINDOW_GROWTH,
                MAX_SKILL_WINDOW, config.matchLifetime());
        this.matches = new MatchService(lobbies, new MatchService.Settings(config.maxTicketsPerConnection(),
                config.maxTicketsPerAddress(), config.maxTickets(), config.matchCycle(), config.matchHold(), rules), nanos -> {
                    Metrics current = metrics;
                    if (current != null) {
                        current.matchCycle(nanos);
                    }
                });
        this.cluster = config.clusterRedis().isEmpty() ? null : new Cluster(new Cluster.Settings(
                config.clusterRedis(), config.nodeId(), config.nodeUrl(), config.clusterHeartbeat(),
                config.clusterExpiry()), lobbies::peerCount, config.maxPeers());
        if (cluster != null) {
            lobbies.directory(cluster);
            cluster.listWith(() -> lobbies.publicLobbies(Dialect.GODOT4, Cluster.MAX_LISTED));
            lobbies.elsewhere(new RemoteLobbies(cluster, lobbies, hosts, Outbound.batching(workers), timer));
            matches.elsewhere(new RemoteMatches(cluster, lobbies, matches, Outbound.batching(workers), timer));
        }
        // GStreamer's uids and 1-1 sessions are not lobbies: in a cluster they span nodes on their own
        GStreamerRegistry gstreamer = cluster == null ? new GStreamerRegistry()
                : new RemoteSessions(cluster, timer).registry();
        this.metrics = new Metrics(lobbies, connections, rtc, setups, matches, standIns, cluster);

        // Bounded well below Jetty's default of 200: listeners never block, so more threads only cost memory and
        // hand-offs (a join storm grew the pool to 200 and cost about 15% more CPU per relayed message after it).
        QueuedThreadPool io = new QueuedThreadPool(config.ioThreads(), Math.min(8, config.ioThreads()));
        io.setName("meshgate-io");
        this.jetty = new Server(io);
        jetty.setStopTimeout(config.shutdownTimeout().toMillis());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Inbound frames are unmasked and UTF-8 decoded byte by byte; on heap buffers that is several times cheaper.
        http.setUseInputDirectByteBuffers(false);
        this.connector = new WebSocketConnector(jetty, -1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        // Java's default backlog of 50 drops SYNs in a join storm; the kernel caps this at somaxconn.
        connector.setAcceptQueueSize(4096);
        jetty.addConnector(connector);
        this.tlsConnector = config.tlsCert().isEmpty() ? null : tlsConnector(config, http);
        if (tlsConnector != null) {
            jetty.addConnector(tlsConnector);
        }

        long maxMessage = config.maxMessageBytes();
        Tokens tokens = tokens(config);
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(jetty, container -> {
            // Without auto-fragmenting, a frame header announcing more than the limit is refused as soon as it is
            // read; with it, Jetty would pass the partial payload on and fail only once the limit is reached.
            container.setAutoFragment(false);
            container.setMaxFrameSize(maxMessage);
            container.setMaxTextMessageSize(maxMessage);
            container.setMaxBinaryMessageSize(maxMessage);
            // Jetty reads into a buffer of this size and starts every text message with a builder of this size: 4 KB
            // by default, garbage for each 200-byte signaling message (half of all the server allocated at 20,000
            // messages/s). 1 KB still takes several small messages per read under load; a bigger one takes more reads.
            container.setInputBufferSize(INPUT_BUFFER_BYTES);
            // Our listeners never block (they queue sends and post to lobby executors): Jetty may handle an upgrade
            // request without handing it to another thread. (Frames are read without one, see WebSocketConnector.)
            container.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
            // Keepalive is ours (ping, pong timeout); Jetty's idle timeout is only the last resort behind it.
            container.setIdleTimeout(config.pingInterval().plus(config.pongTimeout()).multipliedBy(2));
            Endpoints.mount(container, config.websocketCompression(), new ClientAddress(config.trustedProxies()),
                    lobbies, connections, config.noLobbyTimeout(), config.browseTimeout(),
                    config.serverHostedByDefault(), hosts,
                    new RoomsPeer.Timeouts(config.roomsRegisterTimeout(), config.roomsEnterTimeout(),
                            config.roomsIdleTimeout()), matches, tokens, ice, standIns, gstreamer);
        });
        // Plain HTTP requests (no WebSocket upgrade) fall through to /health and the browser demo.
        upgrades.setHandler(new Handler.Sequence(new HealthHandler(this::draining, cluster),
                new PlayHandler(config.playDir().isEmpty() ? null : java.nio.file.Path.of(config.playDir()))));
        // The admin listener: for people and monitoring, never the players' port; loopback unless configured.
        this.adminConnector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        adminConnector.setHost(config.adminHost());
        adminConnector.setPort(config.adminPort());
        jetty.addConnector(adminConnector);
        this.requestDeadline = new RequestDeadline(config.requestTimeout(), timer);
        for (ServerConnector listener : new ServerConnector[] {connector, tlsConnector, adminConnector}) {
            if (listener != null) {
                listener.addEventListener(requestDeadline);
            }
        }
        jetty.setHandler(new Handler.Sequence(
                new OnListener(adminConnector, true, new AdminHostCheck(config.adminHost(), new Handler.Sequence(
                        new HealthHandler(this::draining, cluster), new DrainHandler(this::drain, config.adminToken()),
                        new StatsHandler(lobbies, connections, rtc, tickTimes, config.adminToken(), this::draining,
                                matches, standIns),
                        metrics, new AdminApi(lobbies, config.adminToken()), new AdminPage()))),
                new OnListener(adminConnector, false, upgrades)));
    }

    /** The same HTTP and WebSocket service as the plain connector, behind TLS with the configured PEM pair. */
    private ServerConnector tlsConnector(Config config, HttpConfiguration http) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        try {
            tls.setKeyStore(Pem.keyStore(Path.of(config.tlsCert()), Path.of(config.tlsKey())));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --tls-cert " + config.tlsCert() + " / --tls-key "
                    + config.tlsKey() + ": " + e.getMessage(), e);
        }
        tls.setKeyStorePassword(Pem.STORE_PASSWORD);
        // Jetty's default cipher exclusions (MD5, SHA-1 and RSA key exchange suites, ...) stay; the versions are ours.
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration secureHttp = new HttpConfiguration(http);
        SecureRequestCustomizer secureRequests = new SecureRequestCustomizer();
        // A game server does no virtual hosting: a client that connects by address to a certificate that names only
        // a host (every Godot and GStreamer client in development does) is served, not refused with 400 Invalid SNI.
        secureRequests.setSniHostCheck(false);
        secureHttp.addCustomizer(secureRequests);
        ServerConnector secure = new ServerConnector(jetty, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(secureHttp));
        secure.setHost(config.host());
        secure.setPort(config.tlsPort());
        secure.setAcceptQueueSize(4096);
        return secure;
    }

    /** The token checker when authentication is configured, else null; a key or secret it cannot use stops the start. */
    private static Tokens tokens(Config config) {
        String issuer = config.authIssuer().isEmpty() ? null : config.authIssuer();
        String audience = config.authAudience().isEmpty() ? null : config.authAudience();
        if (!config.authSecret().isEmpty()) {
            return Tokens.withSecret(config.authSecret().getBytes(StandardCharsets.UTF_8), config.authLeeway(), issuer,
                    audience);
        }
        if (config.authPublicKey().isEmpty()) {
            return null;
        }
        try {
            return Tokens.withPublicKey(Pem.publicKey(Path.of(config.authPublicKey())), config.authLeeway(), issuer,
                    audience);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use --auth-public-key " + config.authPublicKey() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Sweeping four times per shortest timeout keeps every timeout within 25% of its setting. */
    private static Duration sweepInterval(Config config) {
        long shortest = Math.min(config.noLobbyTimeout().toMillis(),
                Math.min(config.pingInterval().toMillis(), config.pongTimeout().toMillis()));
        return Duration.ofMillis(Math.max(5, Math.min(250, shortest / 4)));
    }

    public MeshgateServer start() throws Exception {
        jetty.start();
        if (cluster != null) {
            cluster.start();
        }
        LOG.info("Meshgate listening on {}:{}{} (max {} peers, {} lobbies, {} per lobby); admin on {}:{}",
                config.host(), port(), tlsConnector == null ? "" : " and TLS " + tlsPort(), config.maxPeers(),
                config.maxLobbies(), config.maxLobbyPeers(), config.adminHost(), adminPort());
        return this;
    }

    /** The port actually bound, useful when the configuration asked for 0. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The admin listener's port (for /stats and /health). */
    public int adminPort() {
        return adminConnector.getLocalPort();
    }

    /** The TLS listener's port, or -1 without a certificate. */
    public int tlsPort() {
        return tlsConnector == null ? -1 : tlsConnector.getLocalPort();
    }

    public RtcEngine rtc() {
        return rtc;
    }

    public StandIns standIns() {
        return standIns;
    }

    public LobbyService lobbies() {
        return lobbies;
    }

    public Connections connections() {
        return connections;
    }

    public MatchService matches() {
        return matches;
    }

    /** Whether the server is draining (see {@link #drain}). */
    public boolean draining() {
        return draining;
    }

    /** Completes once the server has stopped, whoever stopped it. */
    public CompletableFuture<Void> stopped() {
        return stoppedFuture;
    }

    /**
     * Drains, then stops: no lobby is created or joined any more ({@code /health} answers 503 {@code DRAINING}),
     * lobbies already open play on until they end or the drain timeout passes, and then {@link #stop} closes whoever
     * is left with 1001. Returns at once; {@link #stopped} tells when it is over. Safe to call more than once.
     */
    public CompletableFuture<Void> drain() {
        synchronized (this) {
            if (draining || stopped) {
                return stoppedFuture;
            }
            draining = true;
        }
        lobbies.drain();
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        LOG.info("Draining: {} lobbies open, up to {} ms", lobbies.lobbyCount(), config.drainTimeout().toMillis());
        Thread drainer = new Thread(() -> {
            try {
                while (!stopped && lobbies.lobbyCount() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50); // polling a counter; the lobbies end on their own executors
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lobbies.lobbyCount() > 0) {
                LOG.info("Drain timeout: {} lobbies still open", lobbies.lobbyCount());
            }
            stop();
        }, "meshgate-drain");
        drainer.setDaemon(false); // the process must not end before the stop completes
        drainer.start();
        return stoppedFuture;
    }

    /**
     * Stops accepting, closes every client with 1001, waits up to the shutdown timeout for them to go, then stops.
     * Safe to call more than once.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        int open = connections.count();
        LOG.info("Shutting down: closing {} connections", open);
        try {
            connector.close();
            adminConnector.close();
            if (tlsConnector != null) {
                tlsConnector.close();
            }
            connections.closeAll(CloseStatus.SHUTDOWN);
            while (connections.count() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling a counter; nothing to synchronise with
            }
            if (connections.count() > 0) {
                LOG.warn("{} connections still open after {} ms; stopping anyway", connections.count(),
                        config.shutdownTimeout().toMillis());
            }
            jetty.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly", e);
        } finally {
            connections.close();
            matches.close();
            requestDeadline.close();
            lobbies.closeAll(Duration.ofSeconds(2)); // held seats keep WebRTC links: end them before the engine
            if (cluster != null) {
                cluster.close(); // after the lobbies, whose members on other nodes it tells; before the process goes
            }
            rtc.close();
            timer.shutdownNow();
            workers.shutdown();
            try {
                workers.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Stopped");
        stoppedFuture.complete(null);
    }

    @Override
    public void close() {
        stop();
    }
}

package io.meshgate.server;

import io.meshgate.net.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every setting of the server: its flag, its environment variable, its default and its meaning, in one table.
 *
 * <p>Precedence is flag, then environment variable, then default. Durations are whole milliseconds. The table drives
 * both parsing and {@code --help}, so the two cannot disagree. Tests build configurations through the same parser.
 */
public record Config(
        String host,
        int port,
        int tlsPort,
        String tlsCert,
        String tlsKey,
        int maxPeers,
        int maxLobbies,
        int maxLobbyPeers,
        int maxMessageBytes,
        int messageRate,
        int messageBurst,
        int maxSendQueueBytes,
        Duration noLobbyTimeout,
        Duration sealTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Duration shutdownTimeout,
        int workerThreads,
        boolean serverHostedByDefault,
        int tickRate,
        List<String> iceServers,
        String iceUsername,
        String iceCredential,
        List<Cidr> rtcRevealCidrs,
        Duration rtcConnectTimeout,
        int rtcGenerationBudget,
        int rtcUnreliableLifetime,
        int quickPlaySize,
        String playDir,
        Duration roomsRegisterTimeout,
        Duration roomsEnterTimeout,
        Duration roomsIdleTimeout,
        boolean websocketCompression,
        int maxPeersPerAddress,
        int maxLobbiesPerAddress,
        List<Cidr> trustedProxies,
        String adminHost,
        int adminPort,
        String adminToken,
        long maxSendQueueTotalBytes,
        Duration requestTimeout,
        int rtcMinPort,
        int rtcMaxPort,
        int rtcMaxPending,
        int rtcMaxPendingPerAddress,
        Duration drainTimeout,
        List<String> games,
        String defaultGame,
        Duration browseTimeout,
        Duration matchCycle,
        Duration matchSettle,
        Duration matchLifetime,
        Duration matchHold,
        int maxTicketsPerConnection,
        int maxTickets,
        int maxTicketsPerAddress,
        String authSecret,
        String authPublicKey,
        Duration authLeeway,
        String authIssuer,
        String authAudience,
        boolean authSameUserReplaces,
        Duration resumeWindow,
        String turnSecret,
        Duration turnTtl,
        int maxStandIns,
        int maxStandInsPerLobby,
        int ioThreads,
        String clusterRedis,
        String nodeId,
        String nodeUrl,
        Duration clusterHeartbeat,
        Duration clusterExpiry) {

    /** Whether clients must show a signed token (a secret or a public key is configured). */
    public boolean authenticates() {
        return !authSecret.isEmpty() || !authPublicKey.isEmpty();
    }

    /** The token is a secret: it never appears when a configuration is printed. */
    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", adminHost=" + adminHost + ", adminPort=" + adminPort
                + ", adminToken=" + (adminToken.isEmpty() ? "none" : "set") + ", authSecret="
                + (authSecret.isEmpty() ? "none" : "set") + ", turnSecret=" + (turnSecret.isEmpty() ? "none" : "set")
                + "]";
    }

    /** One setting: how it is spelled on the command line and in the environment, and where its value goes. */
    private record Option(String flag, String env, String defaultValue, String help, BiConsumer<Builder, String> apply) {
    }

    /** Values being collected while the table is applied; becomes the record at the end. */
    private static final class Builder {
        String host;
        int port;
        int tlsPort;
        String tlsCert;
        String tlsKey;
        int maxPeers;
        int maxLobbies;
        int maxLobbyPeers;
        int maxMessageBytes;
        int messageRate;
        int messageBurst;
        int maxSendQueueBytes;
        Duration noLobbyTimeout;
        Duration sealTimeout;
        Duration pingInterval;
        Duration pongTimeout;
        Duration shutdownTimeout;
        int workerThreads;
        boolean serverHostedByDefault;
        int tickRate;
        List<String> iceServers;
        String iceUsername;
        String iceCredential;
        List<Cidr> rtcRevealCidrs;
        Duration rtcConnectTimeout;
        int rtcGenerationBudget;
        int rtcUnreliableLifetime;
        int quickPlaySize;
        String playDir;
        Duration roomsRegisterTimeout;
        Duration roomsEnterTimeout;
        Duration roomsIdleTimeout;
        boolean websocketCompression;
        int maxPeersPerAddress;
        int maxLobbiesPerAddress;
        List<Cidr> trustedProxies;
        String adminHost;
        int adminPort;
        String adminToken;
        long maxSendQueueTotalBytes;
        Duration requestTimeout;
        int rtcMinPort;
        int rtcMaxPort;
        int rtcMaxPending;
        int rtcMaxPendingPerAddress;
        Duration drainTimeout;
        List<String> games;
        String defaultGame;
        Duration browseTimeout;
        Duration matchCycle;
        Duration matchSettle;
        Duration matchLifetime;
        Duration matchHold;
        int maxTicketsPerConnection;
        int maxTickets;
        int maxTicketsPerAddress;
        String authSecret;
        String authPublicKey;
        Duration authLeeway;
        String authIssuer;
        String authAudience;
        boolean authSameUserReplaces;
        Duration resumeWindow;
        String turnSecret;
        Duration turnTtl;
        int maxStandIns;
        int maxStandInsPerLobby;
        int ioThreads;
        String clusterRedis;
        String nodeId;
        String nodeUrl;
        Duration clusterHeartbeat;
        Duration clusterExpiry;

        Config build() {
            if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither");
            }
            for (String url : iceServers) {
                if (!url.matches("(stun|stuns|turn|turns):.+")) {
                    throw new IllegalArgumentException("--ice-servers takes stun:, stuns:, turn: and turns: URLs, got '"
                            + url + "'");
                }
            }
            if (!turnSecret.isEmpty() && iceServers.stream().noneMatch(url -> url.startsWith("turn"))) {
                throw new IllegalArgumentException("--turn-secret signs TURN credentials: --ice-servers needs a turn: "
                        + "or turns: URL");
            }
            if (!authSecret.isEmpty() && !authPublicKey.isEmpty()) {
                throw new IllegalArgumentException("--auth-secret and --auth-public-key exclude each other: tokens are "
                        + "signed one way");
            }
            if (!clusterRedis.isEmpty() && !clusterRedis.matches("rediss?://.+")) {
                throw new IllegalArgumentException("--cluster-redis takes a redis:// or rediss:// URL, got '"
                        + clusterRedis + "'");
            }
            if (!nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("--node-id must be 1 to 64 of A-Z a-z 0-9 _ . -, got '" + nodeId
                        + "'");
            }
            if (clusterExpiry.compareTo(clusterHeartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("--cluster-expiry must be at least twice --cluster-heartbeat, or one "
                        + "late heartbeat makes a live node look dead");
            }
            return new Config(host, port, tlsPort, tlsCert, tlsKey, maxPeers, maxLobbies, maxLobbyPeers, maxMessageBytes, messageRate,
                    messageBurst, maxSendQueueBytes, noLobbyTimeout, sealTimeout, pingInterval, pongTimeout,
                    shutdownTimeout, workerThreads, serverHostedByDefault, tickRate, iceServers, iceUsername,
                    iceCredential, rtcRevealCidrs, rtcConnectTimeout, rtcGenerationBudget, rtcUnreliableLifetime,
                    quickPlaySize, playDir, roomsRegisterTimeout, roomsEnterTimeout, roomsIdleTimeout,
                    websocketCompression, maxPeersPerAddress, maxLobbiesPerAddress, trustedProxies, adminHost, adminPort,
                    adminToken, maxSendQueueTotalBytes, requestTimeout, rtcMinPort, rtcMaxPort, rtcMaxPending,
                    rtcMaxPendingPerAddress, drainTimeout, games, defaultGame, browseTimeout,
                    matchCycle, matchSettle, matchLifetime, matchHold, maxTicketsPerConnection, maxTickets,
                    maxTicketsPerAddress, authSecret, authPublicKey, authLeeway, authIssuer, authAudience,
                    authSameUserReplaces, resumeWindow, turnSecret, turnTtl,
                    maxStandIns, maxStandInsPerLobby, ioThreads, clusterRedis, nodeId, nodeUrl, clusterHeartbeat,
                    clusterExpiry);
        }
    }

    private static final List<Option> OPTIONS = new ArrayList<>();

    static {
        text("host", "0.0.0.0", "address to listen on", (b, v) -> b.host = v);
        number("port", 9080, 0, 65535, "TCP port to listen on (0 picks a free one)", (b, v) -> b.port = v);
        number("tls-port", 8443, 0, 65535, "TCP port of the TLS listener (wss://, https://), which serves every path "
                + "the plain port does; only with --tls-cert and --tls-key (0 picks a free one)", (b, v) -> b.tlsPort = v);
        text("admin-host", "127.0.0.1", "address of the admin listener (/stats, /metrics, /drain, /health): for people "
                + "and monitoring, never the players' port; keep it off the internet", (b, v) -> b.adminHost = v.trim());
        number("admin-port", 9081, 0, 65535, "TCP port of the admin listener (0 picks a free one)",
                (b, v) -> b.adminPort = v);
        text("admin-token", "", "secret every admin action needs, as 'Authorization: Bearer <token>' (POST /drain, "
                + "and the /stats flags gc and reset); empty: actions are refused", (b, v) -> b.adminToken = v.trim());
        text("auth-secret", "", "shared secret of HS256 tokens (at least 32 bytes; better given as the environment "
                + "variable than as a flag, which other users of the machine can see): with it, every WebSocket "
                + "connection must show ?token=<JWT>; empty: no authentication", (b, v) -> b.authSecret = v);
        text("auth-public-key", "", "PEM file with the public key of RS256 (RSA) or ES256 (EC P-256) tokens, instead "
                + "of --auth-secret", (b, v) -> b.authPublicKey = v.trim());
        millis("auth-leeway", 30_000, "clock skew tolerated when checking a token's exp, nbf and iat",
                (b, v) -> b.authLeeway = v);
        text("auth-issuer", "", "the iss every token must have; empty: not checked", (b, v) -> b.authIssuer = v.trim());
        text("auth-audience", "", "an aud every token must have; empty: not checked",
                (b, v) -> b.authAudience = v.trim());
        text("auth-same-user", "replace", "a user's second connection of a kind (signaling, relay): 'replace' closes "
                + "the first with 4000 \"Signed in elsewhere\", 'refuse' closes the second with 4000 \"Already "
                + "connected elsewhere\"", (b, v) -> b.authSameUserReplaces = switch (v.trim()) {
                    case "replace" -> true;
                    case "refuse" -> false;
                    default -> throw new IllegalArgumentException("--auth-same-user must be replace or refuse, not "
                            + v);
                });
        text("tls-cert", "", "PEM file with the TLS certificate chain, server certificate first; empty: no TLS",
                (b, v) -> b.tlsCert = v.trim());
        text("tls-key", "", "PEM file with the certificate's private key (PKCS#8, or PKCS#1 RSA), unencrypted",
                (b, v) -> b.tlsKey = v.trim());
        number("max-peers", 4096, 1, 1_000_000,
                "most WebSocket connections at once; more are closed with 4000 \"Too many peers connected\"",
                (b, v) -> b.maxPeers = v);
        number("max-lobbies", 1024, 1, 1_000_000,
                "most open lobbies; creating another closes with 4000 \"Too many lobbies open, disconnecting\"",
                (b, v) -> b.maxLobbies = v);
        number("max-lobby-peers", 64, 2, 4096,
                "most peers in one lobby, host included; joining a full one closes with 4000 \"Lobby is full\"",
                (b, v) -> b.maxLobbyPeers = v);
        number("max-peers-per-address", 256, 0, 1_000_000, "most WebSocket connections from one client address; more "
                + "are closed with 4000 \"Too many connections from your address\" (0: no such limit)",
                (b, v) -> b.maxPeersPerAddress = v);
        number("max-lobbies-per-address", 64, 0, 1_000_000, "most open lobbies created from one client address; "
                + "another is refused with 4000 \"Too many lobbies from your address\" (0: no such limit)",
                (b, v) -> b.maxLobbiesPerAddress = v);
        text("trusted-proxies", "", "address ranges of reverse proxies whose X-Forwarded-For names the client, "
                + "comma-separated (e.g. 10.0.0.0/8); empty: the header is ignored and the TCP peer is the client",
                (b, v) -> b.trustedProxies = list(v).stream().map(Cidr::parse).toList());
        number("max-message-bytes", 65536, 256, 16 << 20,
                "largest WebSocket frame or message accepted; a larger one closes with 1009 before it is buffered",
                (b, v) -> b.maxMessageBytes = v);
        number("message-rate", 500, 1, 10_000_000,
                "messages per second a connection may send on average; more close with 4000 \"Message rate exceeded\"",
                (b, v) -> b.messageRate = v);
        number("message-burst", 1000, 1, 10_000_000, "messages a connection may send at once above that rate",
                (b, v) -> b.messageBurst = v);
        number("max-send-queue-bytes", 4 << 20, 1024, 1 << 30,
                "bytes queued to one slow reader before it is dropped (1006, its queue released; each frame counts "
                + "its bytes as sent plus 128 for the objects around it)", (b, v) -> b.maxSendQueueBytes = v);
        number("max-send-queue-total-bytes", 0, 0, Integer.MAX_VALUE, "bytes queued to all slow readers together; past "
                + "it the readers holding the most are dropped at once (0: a quarter of the heap)",
                (b, v) -> b.maxSendQueueTotalBytes = v > 0 ? v : Runtime.getRuntime().maxMemory() / 4);
        millis("no-lobby-timeout", 1000, "time to join a lobby after connecting; then 4000 \"Have not joined lobby yet\" "
                + "(on /gst: time to say HELLO, then 1002 \"no HELLO in time\")",
                (b, v) -> b.noLobbyTimeout = v);
        millis("request-timeout", 10_000, "time an HTTP request, a WebSocket upgrade included, may take to arrive "
                + "whole; then the connection is closed (Jetty's idle timeout restarts with every byte)",
                (b, v) -> b.requestTimeout = v);
        millis("browse-timeout", 60_000, "how long a Godot 4 client that lists lobbies (LIST) may stay without "
                + "joining one, from its last LIST", (b, v) -> b.browseTimeout = v);
        millis("match-cycle", 1000, "how often the matchmaker forms matches from the waiting tickets",
                (b, v) -> b.matchCycle = v);
        millis("match-settle", 10_000, "how long a ticket waits for its max players before it settles for fewer "
                + "(down to its min)", (b, v) -> b.matchSettle = v);
        millis("match-lifetime", 120_000, "how long a ticket may wait before it expires", (b, v) -> b.matchLifetime = v);
        millis("match-hold", 15_000, "how long a matched player's seat is held for it to join its lobby",
                (b, v) -> b.matchHold = v);
        number("max-tickets-per-connection", 3, 1, 64, "matchmaking tickets one connection may have waiting",
                (b, v) -> b.maxTicketsPerConnection = v);
        number("max-tickets", 100_000, 1, 10_000_000, "matchmaking tickets waiting on the whole server",
                (b, v) -> b.maxTickets = v);
        number("max-tickets-per-address", 64, 0, 1_000_000, "matchmaking tickets waiting from one client address "
                + "(0: no limit), so that one address cannot fill the server with matched lobbies",
                (b, v) -> b.maxTicketsPerAddress = v);
        number("resume-window", 20_000, 0, 600_000, "how long a Godot 4 client's seat is held after its connection "
                + "dropped without a clean close, for it to come back with its resume token (0: never held), in ms",
                (b, v) -> b.resumeWindow = Duration.ofMillis(v));
        millis("seal-timeout", 10_000, "time from SEAL until every member is closed with 1000 \"Seal complete\"",
                (b, v) -> b.sealTimeout = v);
        millis("ping-interval", 10_000, "time between WebSocket pings to each connection", (b, v) -> b.pingInterval = v);
        millis("pong-timeout", 5_000, "time a ping may go unanswered before 4000 \"Ping timeout\"",
                (b, v) -> b.pongTimeout = v);
        number("drain-timeout", 30_000, 0, 86_400_000, "on SIGTERM (or POST /drain on the admin listener): how long "
                + "lobbies already open may play on while new ones are refused, before the rest are closed with 1001 "
                + "(0: at once), in ms; a second SIGTERM stops at once", (b, v) -> b.drainTimeout = Duration.ofMillis(v));
        millis("shutdown-timeout", 5_000, "time a shutdown waits for clients to close after 1001 before exiting",
                (b, v) -> b.shutdownTimeout = v);
        number("io-threads", Math.max(16, 8 * Runtime.getRuntime().availableProcessors()), 4, 1024,
                "most threads of the network layer (Jetty's pool: accepting, reading, upgrades; default 8 per core, "
                + "at least 16)", (b, v) -> b.ioThreads = v);
        text("cluster-redis", "", "Redis URL (redis://host:port) of a cluster of Meshgate nodes sharing one lobby "
                + "space; empty: a single node", (b, v) -> b.clusterRedis = v.trim());
        text("node-id", "", "this node's id in the cluster, unique among its nodes (default: a random one per start)",
                (b, v) -> b.nodeId = v.isBlank() ? randomNodeId() : v.trim());
        text("node-url", "", "the WebSocket URL by which clients and other nodes reach this node (e.g. "
                + "wss://eu-1.example.org); announced in the cluster's directory", (b, v) -> b.nodeUrl = v.trim());
        millis("cluster-heartbeat", 2_000, "how often this node renews its entry in the cluster's directory",
                (b, v) -> b.clusterHeartbeat = v);
        millis("cluster-expiry", 6_000, "how long a node's directory entries outlive its last heartbeat: a node "
                + "that died is gone from the directory within this time", (b, v) -> b.clusterExpiry = v);
        number("worker-threads", Math.max(2, Runtime.getRuntime().availableProcessors()), 1, 1024,
                "threads running lobby events (default: the number of cores, at least 2)", (b, v) -> b.workerThreads = v);
        text("default-hosting", "peer", "who is peer 1 of a lobby created with Godot's plain JOIN (id 0 or 1, or "
                + "Godot 3's J: without ?hosting= on its URL): "
                + "'peer' (the creator, as Godot's demo expects) or 'server' (the server, running the game)",
                (b, v) -> b.serverHostedByDefault = switch (v.trim()) {
                    case "peer" -> false;
                    case "server" -> true;
                    default -> throw new IllegalArgumentException("--default-hosting must be peer or server, got '" + v + "'");
                });
        number("tick-rate", 30, 1, 240, "game ticks per second in server-hosted lobbies, for games that do not set "
                + "their own", (b, v) -> b.tickRate = v);
        text("games", "", "the games server-hosted lobbies may run, comma-separated (default: every game on the class "
                + "path; the jar bundles 'arena' and 'tictactoe')", (b, v) -> b.games = list(v));
        text("default-game", "", "the game of a server-hosted lobby whose client names none (default: the first "
                + "--games names, or with no --games the first by name)", (b, v) -> b.defaultGame = v);
        text("ice-servers", "", "STUN/TURN urls for the server's own peer connections and, in the ID message, for "
                + "Godot 4 clients, comma-separated (e.g. stun:stun.example.org:3478,turn:turn.example.org:3478)",
                (b, v) -> b.iceServers = list(v));
        text("ice-username", "", "username for the TURN servers, the same for everyone (see --turn-secret for "
                + "credentials of each client's own)", (b, v) -> b.iceUsername = v);
        text("ice-credential", "", "credential for the TURN servers, with --ice-username", (b, v) -> b.iceCredential = v);
        text("turn-secret", "", "the TURN server's shared secret (coturn's static-auth-secret): every client, and "
                + "the server's own connections, get TURN credentials of their own that expire; better given as the "
                + "environment variable", (b, v) -> b.turnSecret = v);
        number("max-stand-ins", 256, 0, 100_000, "WebRTC connections the server may hold for relay players in "
                + "peer-hosted lobbies, standing in for them with the members (0: relay players play server-hosted "
                + "lobbies only)", (b, v) -> b.maxStandIns = v);
        number("max-stand-ins-per-lobby", 16, 1, 1_000, "the same, in one lobby (in a mesh a relay player needs one "
                + "per member)", (b, v) -> b.maxStandInsPerLobby = v);
        millis("turn-ttl", 43_200_000, "how long TURN credentials minted with --turn-secret stay valid (a TURN "
                + "connection cannot outlive them)", (b, v) -> b.turnTtl = v);
        text("rtc-reveal-cidrs", "", "only ICE candidates of the server in these ranges are sent to clients, "
                + "comma-separated (e.g. 203.0.113.0/24); empty: all", (b, v) -> b.rtcRevealCidrs =
                list(v).stream().map(Cidr::parse).toList());
        millis("rtc-connect-timeout", 15_000, "time a client has from joining a server-hosted lobby to opening its "
                + "WebRTC channels; then 4000 \"WebRTC connection to the server timed out\"",
                (b, v) -> b.rtcConnectTimeout = v);
        number("rtc-generation-budget", 1_000_000, 1000, 1_000_000_000, "received WebRTC messages after which new "
                + "connections go to a fresh native factory (bounds webrtc-java 0.14.0's per-message leak)",
                (b, v) -> b.rtcGenerationBudget = v);
        text("rtc-ports", "", "UDP port range of the server's own peer connections, as MIN-MAX (e.g. 40000-40999), to "
                + "fit a firewall; empty: any", (b, v) -> {
                    String range = v.trim();
                    if (range.isEmpty()) {
                        b.rtcMinPort = 0;
                        b.rtcMaxPort = 0;
                        return;
                    }
                    String[] ends = range.split("-");
                    if (ends.length != 2) {
                        throw new IllegalArgumentException("--rtc-ports must be MIN-MAX, got '" + v + "'");
                    }
                    b.rtcMinPort = parseInt("rtc-ports", ends[0].trim(), 1, 65535);
                    b.rtcMaxPort = parseInt("rtc-ports", ends[1].trim(), b.rtcMinPort, 65535);
                });
        number("rtc-max-pending", 256, 1, 100_000, "server-side WebRTC connections being set up at once (each holds "
                + "sockets until its channels open); a client beyond is closed with 4000 \"Server busy: too many WebRTC "
                + "connections being set up\"", (b, v) -> b.rtcMaxPending = v);
        number("rtc-max-pending-per-address", 16, 1, 100_000, "the same, from one client address",
                (b, v) -> b.rtcMaxPendingPerAddress = v);
        number("rtc-unreliable-lifetime", 1, 1, 60_000, "packet lifetime of the ordered and unreliable channels, in ms "
                + "(Godot's default is 1)", (b, v) -> b.rtcUnreliableLifetime = v);
        number("quick-play-size", 4, 2, 4096, "members a quick-play lobby (JOIN \"*\") fills up to before another opens",
                (b, v) -> b.quickPlaySize = v);
        text("play-dir", "", "directory with the Godot web runtime and the packed demo (tools/play-bundle.sh), "
                + "served at /play/; empty: no browser demo", (b, v) -> b.playDir = v.trim());
        millis("rooms-register-timeout", 2_000, "/rooms (###!): time to register (RP) after connecting; then PTO and "
                + "4000 \"Player Not Registered\"", (b, v) -> b.roomsRegisterTimeout = v);
        millis("rooms-enter-timeout", 20_000, "/rooms (###!): time to create or join a room after registering; then "
                + "PTO and 4000 \"Player AFK In Lobby\"", (b, v) -> b.roomsEnterTimeout = v);
        millis("rooms-idle-timeout", 30_000, "/rooms (###!): a room without a join, leave, seal or message for this "
                + "long closes its members with 4000 \"Room Is Inactive\"", (b, v) -> b.roomsIdleTimeout = v);
        text("websocket-compression", "off", "permessage-deflate for clients that offer it: 'on' or 'off' (it costs "
                + "about 126 KB of native memory per connection against 31 KB without; signaling and game packets "
                + "gain little from it)", (b, v) -> b.websocketCompression = switch (v.trim()) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--websocket-compression must be on or off, got '"
                            + v + "'");
                });
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    /** Twelve random characters: distinct across any practical number of starts. */
    private static String randomNodeId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder id = new StringBuilder("node-");
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static void text(String flag, String defaultValue, String help, BiConsumer<Builder, String> apply) {
        OPTIONS.add(new Option(flag, "MESHGATE_" + flag.toUpperCase().replace('-', '_'), defaultValue, help, apply));
    }

    private static void number(String flag, int defaultValue, int min, int max, String help,
                               BiConsumer<Builder, Integer> apply) {
        text(flag, Integer.toString(defaultValue), help + " [" + min + ".." + max + "]",
                (b, v) -> apply.accept(b, parseInt(flag, v, min, max)));
    }

    private static void millis(String flag, int defaultMillis, String help, BiConsumer<Builder, Duration> apply) {
        number(flag, defaultMillis, 1, 86_400_000, help + ", in ms", (b, v) -> apply.accept(b, Duration.ofMillis(v)));
    }

    private static int parseInt(String flag, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be a whole number, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + flag + " must be in " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    /** The defaults of the table, with no flag or environment variable applied. */
    public static Config defaults() {
        return parse(new String[0], Map.of());
    }

    /** Flags over defaults, ignoring the environment: what tests use. */
    public static Config of(String... args) {
        return parse(args, Map.of());
    }

    /**
     * Reads flags ({@code --name value} or {@code --name=value}) over environment variables over defaults.
     *
     * @throws IllegalArgumentException naming the offending flag or variable and what it accepts
     */
    public static Config parse(String[] args, Map<String, String> environment) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            String flag = name;
            if (OPTIONS.stream().noneMatch(o -> o.flag().equals(flag))) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            flags.put(name, value);
        }
        Builder builder = new Builder();
        for (Option option : OPTIONS) {
            String fromEnv = environment.get(option.env());
            String value = flags.getOrDefault(option.flag(), fromEnv != null ? fromEnv : option.defaultValue());
            try {
                option.apply().accept(builder, value);
            } catch (IllegalArgumentException e) {
                boolean blameEnvironment = !flags.containsKey(option.flag()) && fromEnv != null;
                throw blameEnvironment ? new IllegalArgumentException(option.env() + ": " + e.getMessage(), e) : e;
            }
        }
        return builder.build();
    }

    /** The text printed by {@code --help}. */
    public static String help() {
        StringBuilder out = new StringBuilder("Usage: java -jar meshgate-server.jar [--option value]...\n\n"
                + "Every option can also be set with its environment variable; a flag wins over the variable.\n\n");
        for (Option option : OPTIONS) {
            out.append(String.format("  --%-21s %-33s default %s%n        %s%n", option.flag(), option.env(),
                    option.defaultValue(), option.help()));
        }
        out.append("  --help                  print this text and exit\n");
        return out.toString();
    }
}

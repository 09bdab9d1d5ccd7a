package io.meshgate.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.PublicLobby;
import io.meshgate.wire.cluster.EnvelopeCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of a cluster of Meshgate nodes that share Redis: it announces itself (its URL, envelope
 * format and load) and its lobbies (by name and join code) in the directory with an expiry it renews every heartbeat,
 * keeps its view of the nodes there, and sends and receives envelopes through each node's inbox (a Redis channel).
 *
 * <p>A node that dies stops renewing and is gone from the directory within the expiry; a node that stops cleanly
 * removes its entry at once. While Redis is unreachable the node keeps serving its own clients, reports Redis down,
 * and re-registers by itself once Redis answers again (an empty, restarted Redis included).
 *
 * <p>Redis is only ever waited on by this class's own thread ({@code meshgate-cluster}), with a bounded timeout; the
 * view ({@link #view}) may be read from any thread.
 */
public final class Cluster implements LobbyService.Directory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** Every key Meshgate writes starts with this, so that a Redis shared with other software stays apart. */
    static final String PREFIX = "meshgate:";
    static final String NODE_PREFIX = PREFIX + "node:";
    /** {@code meshgate:lobby:<name>} and {@code meshgate:code:<code>}: the id of the node that owns the lobby. */
    static final String LOBBY_PREFIX = PREFIX + "lobby:";
    static final String CODE_PREFIX = PREFIX + "code:";
    /**
     * {@code meshgate:resume:<SHA-256 of a key>}: the node holding the seat a relay player's chosen resume key takes
     * back (hashed: whoever reads Redis learns no key).
     */
    static final String KEY_PREFIX = PREFIX + "resume:";
    /** {@code meshgate:inbox:<node id>}: the channel a node receives its envelopes on. */
    static final String INBOX_PREFIX = PREFIX + "inbox:";
    /**
     * {@code meshgate:quick:<kind>}: a sorted set of the nodes with an open quick-play lobby of that kind with a free
     * seat, each scored with the time (ms) its entry expires.
     */
    static final String QUICK_PREFIX = PREFIX + "quick:";
    /** {@code meshgate:listing:<node id>}: the node's public Godot 4 lobbies as listings show them, JSON. */
    static final String LISTING_PREFIX = PREFIX + "listing:";
    /**
     * {@code meshgate:matchmaker}: the id of the node that runs the cluster's matchmaker, a lease its holder renews
     * every heartbeat and that expires with it.
     */
    static final String MATCHMAKER = PREFIX + "matchmaker";
    /** KEYS[1] the lease; ARGV: this node, the expiry (ms), and 1 if it may hold the lease (0: it gives it up). */
    private static final String LEASE = """
            local holder = redis.call('GET', KEYS[1])
            if ARGV[3] == '0' then
              if holder == ARGV[1] then redis.call('DEL', KEYS[1]) return false end
              return holder
            end
            if not holder then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return ARGV[1]
            end
            if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return holder
            """;
    /** {@code meshgate:gstreamer:<uid>}: the node a GStreamer client of that uid is connected to, claimed. */
    static final String UID_PREFIX = PREFIX + "gstreamer:";
    /**
     * A name a client chose (a GStreamer uid or room) is claimed: KEYS[1] the name's key; ARGV: this node, the expiry
     * (ms), the node entries' prefix. It becomes this node's unless a live node holds it (a dead node's claim is
     * taken over at once rather than after its expiry); returns the holder.
     */
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder and holder ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. holder) == 1 then
              return holder
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return ARGV[1]
            """;
    /** Gives a claim up, unless another node holds it by now. KEYS[1] the name's key; ARGV[1] this node. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 0
            """;
    /** The most public lobbies a node lists for the others: oldest first, as a listing pages. */
    public static final int MAX_LISTED = 5000;
    /** A listing of another node longer than this is not read: 5000 lobbies take about a megabyte. */
    private static final int MAX_LISTING_CHARS = 4 << 20;
    /** A Redis command that takes longer than this counts as Redis being unreachable. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The longest Lettuce waits between two attempts to reconnect to Redis. */
    private static final Duration RECONNECT_CEILING = Duration.ofSeconds(1);

    /** What this node needs to take part. */
    public record Settings(String redisUrl, String nodeId, String nodeUrl, Duration heartbeat, Duration expiry) {
    }

    /**
     * A node as the directory shows it: its envelope format, players now and at most ({@code capacity}), process CPU
     * load (0-1), and whether it drains (it takes no new lobbies or players).
     */
    public record Node(String id, String url, int format, int players, int capacity, double cpu, boolean draining) {
    }

    /**
     * This node's view of the cluster, as of its last heartbeat: the nodes, and which one runs the cluster's
     * matchmaker (null: none does now).
     */
    public record View(boolean redisReachable, List<Node> nodes, String matchmaker) {
    }

    private final Settings settings;
    private final IntSupplier players;
    private final int capacity;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService thread;
    private final ClientResources resources;
    private final RedisClient client;
    private final long startedAt = System.currentTimeMillis();
    /** This node's lobbies and join codes as announced: renewed every heartbeat. */
    private final Map<String, Boolean> lobbies = new ConcurrentHashMap<>();
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    /**
     * The chosen resume keys of this node's seats and their hashes, as announced (renewed every heartbeat): a token
     * this node issued, forgotten far more often, is told apart without hashing it.
     */
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    /** Quick-play kinds this node has a free seat in, as announced: renewed every heartbeat. */
    private final Map<String, Boolean> quickPlay = new ConcurrentHashMap<>();
    /** Names clients chose that this node holds (see {@link #hold}), by key; renewed every heartbeat. */
    private final Map<String, Boolean> claims = new ConcurrentHashMap<>();
    private volatile boolean draining;
    /** This node's public lobbies now, oldest first; called on the cluster thread. */
    private volatile Supplier<List<PublicLobby>> listings = List::of;
    /** The listing last written, to write only what changed. */
    private String published = "";
    /** Other nodes' listings as last read, by node: the text and what it says. */
    private final Map<String, Listing> listingsRead = new HashMap<>();
    private volatile List<PublicLobby> listedElsewhere = List.of();

    /** Another node's listing: its text as read, and its lobbies. */
    private record Listing(String text, List<PublicLobby> lobbies) {
    }

    /** Told each view Redis answered with, on the cluster thread; they must only post. */
    private final List<Consumer<View>> watchers = new CopyOnWriteArrayList<>();
    /** Touched only on the cluster thread, once made. */
    private StatefulRedisConnection<String, String> connection;
    /** The envelopes to and from the other nodes. */
    private final Messenger messenger;
    private volatile View view = new View(false, List.of(), null);
    private volatile boolean closed;

    /**
     * @param players how many players this node serves now, for placement by load; called on the cluster thread
     * @param capacity how many it serves at most
     */
    public Cluster(Settings settings, IntSupplier players, int capacity) {
        this.settings = settings;
        this.players = players;
        this.capacity = capacity;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "meshgate-cluster");
            t.setDaemon(true);
            return t;
        });
        // Lettuce's own event loops: one each is plenty for a heartbeat and the messages of one node. Its reconnect
        // backoff would grow to 30 s, leaving a node cut off that long after Redis is back; a node has three
        // connections, so trying each at least once a second costs Redis nothing.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(1), RECONNECT_CEILING, 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(settings.redisUrl()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // a command while Redis is away fails at once instead of queueing for when it is back
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .build());
        this.messenger = new Messenger(client, RedisURI.create(settings.redisUrl()), settings.nodeId(), () -> view);
    }

    /**
     * Starts heartbeats, and returns once the first has registered this node and its inbox (or failed: Redis being
     * down now is not an error, the node keeps trying), so that a node that says it listens can reach the others.
     */
    public void start() {
        LOG.info("Cluster node {} ({}) joins through {}; heartbeat {} ms, expiry {} ms", settings.nodeId(),
                settings.nodeUrl().isEmpty() ? "no URL announced" : settings.nodeUrl(), redacted(settings.redisUrl()),
                settings.heartbeat().toMillis(), settings.expiry().toMillis());
        try {
            thread.submit(this::heartbeat).get(COMMAND_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Cluster: the first heartbeat did not finish ({}); carrying on", e.toString());
        }
        thread.schedule(this::beat, settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public View view() {
        return view;
    }

    /** A heartbeat that failed is tried again this soon, not a whole heartbeat later. */
    private static final long RETRY_MS = 500;

    /**
     * A heartbeat, and the next one scheduled: a heartbeat later, or sooner after a failure. A loaded machine can make
     * Redis's answers late by seconds; a node that waited a whole heartbeat after each late one would miss its expiry
     * and be taken for dead by the others, its lobbies with it.
     */
    private void beat() {
        boolean ok = heartbeat();
        if (!closed) {
            try {
                thread.schedule(this::beat, ok ? settings.heartbeat().toMillis()
                        : Math.min(RETRY_MS, settings.heartbeat().toMillis()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Renews this node's entry and reads the others'; on the cluster thread. Whether Redis answered it all. */
    private boolean heartbeat() {
        if (closed) {
            return true;
        }
        boolean wasReachable = view.redisReachable();
        try {
            RedisCommands<String, String> redis = commands();
            messenger.listen(redis); // first: whoever finds this node in the directory can reach it
            redis.set(NODE_PREFIX + settings.nodeId(), entry(), SetArgs.Builder.px(settings.expiry().toMillis()));
            renewLobbies();
            renewQuickPlay();
            List<Node> nodes = nodes(redis);
            publishListing(redis);
            readListings(redis, nodes);
            view = new View(true, nodes, matchmaker(redis));
            messenger.forgetQueuesOfNodesGone(nodes);
            watchers.forEach(watcher -> watcher.accept(view));
            if (!wasReachable) {
                LOG.info("Cluster: Redis reachable; node {} registered, {} node(s) seen", settings.nodeId(),
                        nodes.size());
            }
            return true;
        } catch (RuntimeException e) {
            view = new View(false, view.nodes(), view.matchmaker());
            published = ""; // written again in full once Redis is back: a restarted one has lost it
            listedElsewhere = List.of(); // lobbies this node cannot reach now
            listingsRead.clear();
            if (wasReachable || connection == null) {
                LOG.warn("Cluster: Redis unreachable ({}); serving this node's own lobbies until it is back",
                        e.getMessage());
            }
            return false;
        }
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            // The first connection is ours to retry; once made, Lettuce reconnects it by itself.
            connection = client.connect(StringCodec.UTF8, RedisURI.create(settings.redisUrl()));
        }
        return connection.sync();
    }

    /** Every lobby and code of this node again, pipelined: what Redis lost (a restart) comes back with them. */
    private void renewLobbies() {
        RedisAsyncCommands<String, String> redis = connection.async();
        SetArgs expiry = SetArgs.Builder.px(settings.expiry().toMillis());
        List<RedisFuture<String>> pending = new ArrayList<>();
        for (String lobby : lobbies.keySet()) {
            pending.add(redis.set(LOBBY_PREFIX + lobby, settings.nodeId(), expiry));
        }
        for (String code : codes.keySet()) {
            pending.add(redis.set(CODE_PREFIX + code, settings.nodeId(), expiry));
        }
        for (String hashed : keys.values()) {
            pending.add(redis.set(KEY_PREFIX + hashed, settings.nodeId(), expiry));
        }
        Map<String, RedisFuture<String>> claimed = new HashMap<>();
        for (String key : claims.keySet()) {
            RedisFuture<String> holder = claim(redis, key);
            claimed.put(key, holder);
            pending.add(holder);
        }
        if (!pending.isEmpty() && !LettuceFutures.awaitAll(COMMAND_TIMEOUT, pending.toArray(RedisFuture[]::new))) {
            throw new RedisCommandTimeoutException("renewing " + pending.size() + " lobby entries took over "
                    + COMMAND_TIMEOUT.toMillis() + " ms");
        }
        claimed.forEach((key, holder) -> {
            String node = holder.toCompletableFuture().getNow(settings.nodeId());
            if (!settings.nodeId().equals(node) && claims.remove(key) != null) {
                // only after Redis lost this node's claim (a restart, or unreachable past the expiry) and another
                // node's client took the name meanwhile: from now on the others find theirs
                LOG.warn("Cluster: {} is held by node {} now; this node's client of that name is found here only",
                        key, node);
            }
        });
    }

    private RedisFuture<String> claim(RedisAsyncCommands<String, String> redis, String key) {
        return redis.eval(CLAIM, ScriptOutputType.VALUE, new String[] {key}, settings.nodeId(),
                Long.toString(settings.expiry().toMillis()), NODE_PREFIX);
    }

    /**
     * This node in every quick-play set it has a free seat in, with a fresh expiry; entries of dead nodes that have
     * expired are dropped as it goes, and a set nobody renews expires whole.
     */
    private void renewQuickPlay() {
        RedisAsyncCommands<String, String> redis = connection.async();
        long now = System.currentTimeMillis();
        List<RedisFuture<?>> pending = new ArrayList<>();
        for (String kind : quickPlay.keySet()) {
            pending.add(redis.zadd(QUICK_PREFIX + kind, now + settings.expiry().toMillis(), settings.nodeId()));
            pending.add(redis.zremrangebyscore(QUICK_PREFIX + kind, Range.create(0, now)));
            pending.add(redis.pexpire(QUICK_PREFIX + kind, settings.expiry().toMillis()));
        }
        if (!pending.isEmpty() && !LettuceFutures.awaitAll(COMMAND_TIMEOUT, pending.toArray(RedisFuture[]::new))) {
            throw new RedisCommandTimeoutException("renewing quick play took over " + COMMAND_TIMEOUT.toMillis()
                    + " ms");
        }
    }

    /**
     * Takes the matchmaker's lease if nobody holds it, renews it if this node does, gives it up if this node drains;
     * returns who holds it now.
     */
    private String matchmaker(RedisCommands<String, String> redis) {
        return redis.eval(LEASE, ScriptOutputType.VALUE, new String[] {MATCHMAKER}, settings.nodeId(),
                Long.toString(settings.expiry().toMillis()), draining || closed ? "0" : "1");
    }

    /** Writes this node's public lobbies for the others when they changed, else renews the entry's expiry. */
    private void publishListing(RedisCommands<String, String> redis) {
        List<PublicLobby> lobbies = draining ? List.of() : listings.get(); // a draining node takes no one
        String text;
        if (lobbies.isEmpty()) {
            text = "[]";
        } else {
            ArrayNode array = json.createArrayNode();
            for (PublicLobby lobby : lobbies) {
                ObjectNode entry = array.addObject();
                entry.put("number", lobby.number());
                entry.put("name", lobby.name());
                entry.put("game", lobby.game());
                ObjectNode label = entry.putObject("label");
                lobby.label().forEach(label::put);
                entry.put("hosting", lobby.hosting());
                entry.put("mesh", lobby.mesh());
                entry.put("players", lobby.players());
                entry.put("capacity", lobby.capacity());
            }
            text = array.toString();
        }
        String key = LISTING_PREFIX + settings.nodeId();
        if (text.equals(published) && redis.pexpire(key, settings.expiry().toMillis())) {
            return;
        }
        redis.set(key, text, SetArgs.Builder.px(settings.expiry().toMillis()));
        published = text;
    }

    /**
     * Reads the listings of the other live nodes that are not draining (their joins are refused), reading again only
     * what changed, and merges them in listing order.
     */
    private void readListings(RedisCommands<String, String> redis, List<Node> nodes) {
        List<String> keys = new ArrayList<>();
        for (Node node : nodes) {
            if (!node.id().equals(settings.nodeId()) && !node.draining()) {
                keys.add(LISTING_PREFIX + node.id());
            }
        }
        Map<String, Listing> read = new HashMap<>();
        if (!keys.isEmpty()) {
            for (KeyValue<String, String> value : redis.mget(keys.toArray(String[]::new))) {
                if (!value.hasValue() || value.getValue().length() > MAX_LISTING_CHARS) {
                    continue;
                }
                String node = value.getKey().substring(LISTING_PREFIX.length());
                Listing known = listingsRead.get(node);
                read.put(node, known != null && known.text().equals(value.getValue()) ? known
                        : new Listing(value.getValue(), parseListing(node, value.getValue())));
            }
        }
        listingsRead.clear();
        listingsRead.putAll(read);
        List<PublicLobby> merged = new ArrayList<>();
        read.values().forEach(listing -> merged.addAll(listing.lobbies()));
        merged.sort(Comparator.comparingLong(PublicLobby::number));
        listedElsewhere = List.copyOf(merged);
    }

    /** Another node's listing; an entry that is not what this release writes is skipped (logged once per text). */
    private List<PublicLobby> parseListing(String node, String text) {
        List<PublicLobby> lobbies = new ArrayList<>();
        try {
            JsonNode array = json.readTree(text);
            for (JsonNode entry : array) {
                String name = entry.path("name").asText("");
                if (name.isEmpty() || !entry.path("number").canConvertToLong() || lobbies.size() >= MAX_LISTED) {
                    continue;
                }
                Map<String, String> label = new HashMap<>();
                entry.path("label").fields().forEachRemaining(field -> label.put(field.getKey(),
                        field.getValue().asText()));
                lobbies.add(new PublicLobby(entry.path("number").asLong(), name, entry.path("game").asText(""),
                        Map.copyOf(label), entry.path("hosting").asText("peer"), entry.path("mesh").asBoolean(),
                        entry.path("players").asInt(), entry.path("capacity").asInt()));
            }
        } catch (Exception e) {
            LOG.warn("Cluster: node {}'s listing is unreadable ({}); its lobbies are not listed here", node,
                    e.getMessage());
        }
        return lobbies;
    }

    /** This node's public lobbies from now on come from {@code listings}, called on the cluster thread. */
    public void listWith(Supplier<List<PublicLobby>> listings) {
        this.listings = listings;
    }

    @Override
    public List<PublicLobby> listedElsewhere() {
        return listedElsewhere;
    }

    /**
     * Where messages of {@code type} for this node go from now on, with the id of the node that sent them;
     * {@code receiver} runs on Redis's client thread: it must only post.
     */
    public <T> void receive(Class<T> type, BiConsumer<String, T> receiver) {
        messenger.receive(type, receiver);
    }

    /**
     * Sends {@code message} to node {@code node}'s inbox, in order with everything else sent it. Completes with true
     * once Redis delivered it to that node, false when the node is not listening (gone), and exceptionally when Redis
     * is unreachable or the message does not fit an envelope. Any thread; never blocks.
     */
    public CompletableFuture<Boolean> send(String node, Object message) {
        return messenger.send(node, message);
    }

    /** Messages this node sent other nodes since it started (each counted once, however it went). */
    public long messagesSent() {
        return messenger.messagesSent();
    }

    /** The Redis PUBLISHes that carried them: fewer than the messages as soon as batches form. */
    public long publishes() {
        return messenger.publishes();
    }

    /** Messages this node received from other nodes since it started. */
    public long messagesReceived() {
        return messenger.messagesReceived();
    }

    /**
     * Tells {@code watcher} every view of the cluster a heartbeat read from Redis (never while Redis is unreachable:
     * then nothing is known about the others), on the cluster thread: it must only post.
     */
    public void watch(Consumer<View> watcher) {
        watchers.add(watcher);
    }

    /**
     * The id of the node that owns the lobby named {@code lobby}, or null if no node lists it; fails when Redis is
     * unreachable. Any thread; never blocks.
     */
    public CompletableFuture<String> owner(String lobby) {
        return lookup(LOBBY_PREFIX + lobby);
    }

    /**
     * The ids of the nodes that have a quick-play lobby of {@code kind} with a free seat (as of their last change or
     * heartbeat), this one included if it does; fails when Redis is unreachable. Any thread; never blocks.
     */
    public CompletableFuture<List<String>> quickPlayNodes(String kind) {
        StatefulRedisConnection<String, byte[]> out = messenger.connection();
        if (out == null) {
            return Messenger.unreachable();
        }
        return out.async().zrangebyscore(QUICK_PREFIX + kind,
                        Range.create(System.currentTimeMillis(), Double.POSITIVE_INFINITY))
                .toCompletableFuture().thenApply(nodes -> {
                    List<String> ids = new ArrayList<>(nodes.size());
                    nodes.forEach(node -> ids.add(new String(node, StandardCharsets.UTF_8)));
                    return ids;
                });
    }

    /** The id of the node holding the seat the resume key {@code key} takes back, as {@link #owner} answers. */
    public CompletableFuture<String> ownerOfKey(String key) {
        return lookup(KEY_PREFIX + hash(key));
    }

    @Override
    public void keyed(String key) {
        String hashed = hash(key);
        keys.put(key, hashed);
        post(() -> write(KEY_PREFIX + hashed, true));
    }

    @Override
    public void unkeyed(String key) {
        String hashed = keys.remove(key);
        if (hashed != null) {
            post(() -> write(KEY_PREFIX + hashed, false));
        }
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The id of the node whose lobby has the join code {@code code}, as {@link #owner} answers. */
    public CompletableFuture<String> ownerOfCode(String code) {
        return lookup(CODE_PREFIX + code);
    }

    /** The directory key of the GStreamer uid {@code uid}, for {@link #claim(String)}. */
    public static String uidKey(String uid) {
        return UID_PREFIX + uid;
    }

    /** The directory key of the lobby named {@code lobby}, for {@link #claim(String)}. */
    public static String lobbyKey(String lobby) {
        return LOBBY_PREFIX + lobby;
    }

    /**
     * Claims {@code key}, a name a client chose, for this node unless a live node holds it; completes with the id of
     * the node holding it now (this one's when the claim took), and fails when Redis is unreachable. The claim
     * expires unless {@link #hold} keeps it. Any thread; never blocks.
     */
    public CompletableFuture<String> claim(String key) {
        StatefulRedisConnection<String, byte[]> out = messenger.connection();
        if (out == null) {
            return Messenger.unreachable();
        }
        return out.async().<byte[]>eval(CLAIM, ScriptOutputType.VALUE, new String[] {key},
                        settings.nodeId().getBytes(StandardCharsets.UTF_8),
                        Long.toString(settings.expiry().toMillis()).getBytes(StandardCharsets.UTF_8),
                        NODE_PREFIX.getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().thenApply(holder -> new String(holder, StandardCharsets.UTF_8));
    }

    /**
     * Keeps {@code key} this node's from now on, claimed again every heartbeat (so that it comes back after Redis
     * lost it), until {@link #release}; claims it at once too.
     */
    public void hold(String key) {
        claims.put(key, Boolean.TRUE);
        post(() -> {
            if (!closed && connection != null && view.redisReachable()) {
                try {
                    String holder = claim(connection.async(), key).get(COMMAND_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                    if (!settings.nodeId().equals(holder)) {
                        LOG.warn("Cluster: {} is held by node {}; this node's is found here only", key, holder);
                        claims.remove(key);
                    }
                } catch (Exception e) {
                    LOG.debug("Cluster: could not claim {} ({}); the heartbeat makes up for it", key, e.toString());
                }
            }
        });
    }

    /** Gives up {@code key}, held or only claimed, unless another node holds it by now. */
    public void release(String key) {
        claims.remove(key);
        post(() -> {
            if (connection == null || !view.redisReachable()) {
                return; // it expires
            }
            try {
                releaseNow(key);
            } catch (RuntimeException e) {
                LOG.debug("Cluster: could not release {} ({}); it expires", key, e.getMessage());
            }
        });
    }

    /** On the cluster thread: gives the claim of {@code key} up now, unless another node holds it by now. */
    private void releaseNow(String key) {
        connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, settings.nodeId());
    }

    /** The id of the node holding the uid {@code uid}, or null; fails when Redis is unreachable. Any thread. */
    public CompletableFuture<String> holderOfUid(String uid) {
        return lookup(UID_PREFIX + uid);
    }

    @Override
    public void claimed(String lobby) {
        hold(LOBBY_PREFIX + lobby);
    }

    private CompletableFuture<String> lookup(String key) {
        StatefulRedisConnection<String, byte[]> out = messenger.connection();
        if (out == null) {
            return Messenger.unreachable();
        }
        return out.async().get(key).toCompletableFuture()
                .thenApply(value -> value == null ? null : new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public void listed(String lobby) {
        lobbies.put(lobby, Boolean.TRUE);
        post(() -> write(LOBBY_PREFIX + lobby, true));
    }

    @Override
    public void coded(String code, String lobby) {
        codes.put(code, lobby);
        post(() -> write(CODE_PREFIX + code, true));
    }

    /** Runs {@code task} on the cluster thread, in order with everything else posted, until the node has left. */
    private void post(Runnable task) {
        try {
            // also while closing: a lobby that closes as the node leaves must still be withdrawn, and close()
            // deletes only what is still listed when its own task runs, after this one
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // left already: its entries are deleted or expire
        }
    }

    @Override
    public void quickPlayOpen(String kind, boolean open) {
        if (open) {
            quickPlay.put(kind, Boolean.TRUE);
        } else {
            quickPlay.remove(kind);
        }
        post(() -> {
            if (closed || connection == null || !view.redisReachable()) {
                return;
            }
            try {
                if (open) {
                    connection.sync().zadd(QUICK_PREFIX + kind,
                            System.currentTimeMillis() + settings.expiry().toMillis(), settings.nodeId());
                    connection.sync().pexpire(QUICK_PREFIX + kind, settings.expiry().toMillis());
                } else {
                    connection.sync().zrem(QUICK_PREFIX + kind, settings.nodeId());
                }
            } catch (RuntimeException e) {
                LOG.debug("Cluster: could not update quick play {} ({}); the heartbeat makes up for it", kind,
                        e.getMessage());
            }
        });
    }

    /** Announces at once that this node drains, so that no node places lobbies or players here any more. */
    @Override
    public void draining() {
        draining = true;
        post(() -> {
            if (closed || connection == null || !view.redisReachable()) {
                return;
            }
            try {
                connection.sync().set(NODE_PREFIX + settings.nodeId(), entry(),
                        SetArgs.Builder.px(settings.expiry().toMillis()));
                matchmaker(connection.sync()); // gives the matchmaker up, if it ran it
            } catch (RuntimeException e) {
                LOG.debug("Cluster: could not announce the drain ({}); the heartbeat makes up for it", e.getMessage());
            }
        });
    }

    @Override
    public void unlisted(String lobby, String code) {
        if (lobbies.remove(lobby) == null) {
            release(LOBBY_PREFIX + lobby); // a name a client chose, claimed: another node may hold it by now
            return;
        }
        if (code != null) {
            codes.remove(code);
        }
        post(() -> {
            write(LOBBY_PREFIX + lobby, false);
            if (code != null) {
                write(CODE_PREFIX + code, false);
            }
        });
    }

    /**
     * On the cluster thread: announces or withdraws one entry now rather than at the next heartbeat. If Redis is away
     * the next heartbeat that reaches it renews what is still listed; what was withdrawn meanwhile expires.
     */
    private void write(String key, boolean present) {
        if ((present && closed) || connection == null || !view.redisReachable()) {
            return; // a node that has left announces nothing more, but still withdraws
        }
        try {
            if (present) {
                connection.sync().set(key, settings.nodeId(), SetArgs.Builder.px(settings.expiry().toMillis()));
            } else {
                connection.sync().del(key);
            }
        } catch (RuntimeException e) {
            LOG.debug("Cluster: could not {} {} ({}); the heartbeat makes up for it", present ? "write" : "delete",
                    key, e.getMessage());
        }
    }

    private String entry() {
        ObjectNode entry = json.createObjectNode();
        entry.put("url", settings.nodeUrl());
        entry.put("format", EnvelopeCodec.FORMAT);
        entry.put("players", players.getAsInt());
        entry.put("capacity", capacity);
        entry.put("draining", draining);
        entry.put("cpu", Math.max(0, Math.round(processCpu() * 1000) / 1000.0));
        entry.put("since", startedAt);
        return entry.toString();
    }

    private static double processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuLoad();
        }
        return 0;
    }

    /** Every node entry in the directory; an unreadable entry (another release's, or damaged) is skipped. */
    private List<Node> nodes(RedisCommands<String, String> redis) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(NODE_PREFIX + "*").limit(500));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished() && keys.size() < 10_000);
        List<Node> nodes = new ArrayList<>(keys.size());
        if (keys.isEmpty()) {
            return nodes;
        }
        List<KeyValue<String, String>> values = redis.mget(keys.toArray(String[]::new));
        for (KeyValue<String, String> value : values) {
            if (!value.hasValue()) {
                continue; // expired between the scan and the read
            }
            try {
                JsonNode entry = json.readTree(value.getValue());
                nodes.add(new Node(value.getKey().substring(NODE_PREFIX.length()), entry.path("url").asText(""),
                        entry.path("format").asInt(0), entry.path("players").asInt(0),
                        entry.path("capacity").asInt(0), entry.path("cpu").asDouble(0),
                        entry.path("draining").asBoolean(false)));
            } catch (Exception e) {
                LOG.debug("Cluster: unreadable node entry {}", value.getKey(), e);
            }
        }
        nodes.sort(Comparator.comparing(Node::id));
        return List.copyOf(nodes);
    }

    /** The URL without a password, for logs. */
    static String redacted(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    /** Leaves the cluster: removes this node's entry at once (bounded wait) and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.submit(() -> {
                if (connection != null) {
                    try {
                        List<String> keys = new ArrayList<>();
                        keys.add(NODE_PREFIX + settings.nodeId());
                        keys.add(LISTING_PREFIX + settings.nodeId());
                        lobbies.keySet().forEach(lobby -> keys.add(LOBBY_PREFIX + lobby));
                        codes.keySet().forEach(code -> keys.add(CODE_PREFIX + code));
                        this.keys.values().forEach(hashed -> keys.add(KEY_PREFIX + hashed));
                        connection.sync().del(keys.toArray(String[]::new));
                        for (String kind : quickPlay.keySet()) {
                            connection.sync().zrem(QUICK_PREFIX + kind, settings.nodeId());
                        }
                        for (String key : claims.keySet()) {
                            releaseNow(key);
                        }
                        matchmaker(connection.sync()); // closed: gives the lease up if it holds it
                        LOG.info("Cluster: node {} left the directory", settings.nodeId());
                    } catch (RuntimeException e) {
                        LOG.warn("Cluster: could not remove node {} from the directory ({}); it expires within {} ms",
                                settings.nodeId(), e.getMessage(), settings.expiry().toMillis());
                    }
                    connection.close();
                }
                messenger.close();
            }).get(COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Cluster: leaving took too long ({})", e.toString());
        }
        thread.shutdownNow();
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        resources.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}

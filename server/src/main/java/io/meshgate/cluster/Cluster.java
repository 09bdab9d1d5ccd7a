package io.meshgate.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.meshgate.wire.cluster.EnvelopeCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of a cluster of Meshgate nodes that share Redis: it announces itself (its URL, envelope
 * format and load) in the directory with an expiry it renews every heartbeat, and keeps its view of the nodes there.
 *
 * <p>A node that dies stops renewing and is gone from the directory within the expiry; a node that stops cleanly
 * removes its entry at once. While Redis is unreachable the node keeps serving its own clients, reports Redis down,
 * and re-registers by itself once Redis answers again (an empty, restarted Redis included).
 *
 * <p>Redis is only ever waited on by this class's own thread ({@code meshgate-cluster}), with a bounded timeout; the
 * view ({@link #view}) may be read from any thread.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** Every key Meshgate writes starts with this, so that a Redis shared with other software stays apart. */
    static final String PREFIX = "meshgate:";
    static final String NODE_PREFIX = PREFIX + "node:";
    /** A Redis command that takes longer than this counts as Redis being unreachable. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** What this node needs to take part. */
    public record Settings(String redisUrl, String nodeId, String nodeUrl, Duration heartbeat, Duration expiry) {
    }

    /** A node as the directory shows it. */
    public record Node(String id, String url, int format, int players, double cpu) {
    }

    /** This node's view of the cluster, as of its last heartbeat. */
    public record View(boolean redisReachable, List<Node> nodes) {
    }

    private final Settings settings;
    private final IntSupplier players;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService thread;
    private final ClientResources resources;
    private final RedisClient client;
    private final long startedAt = System.currentTimeMillis();
    /** Touched only on the cluster thread. */
    private StatefulRedisConnection<String, String> connection;
    private volatile View view = new View(false, List.of());
    private volatile boolean closed;

    /**
     * @param players how many players this node serves now, for placement by load; called on the cluster thread
     */
    public Cluster(Settings settings, IntSupplier players) {
        this.settings = settings;
        this.players = players;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "meshgate-cluster");
            t.setDaemon(true);
            return t;
        });
        // Lettuce's own event loops: one each is plenty for a heartbeat and the messages of one node.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        this.client = RedisClient.create(resources, RedisURI.create(settings.redisUrl()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // a command while Redis is away fails at once instead of queueing for when it is back
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .build());
    }

    /** Starts heartbeats; the first runs at once. Redis being down now is not an error: the node keeps trying. */
    public void start() {
        LOG.info("Cluster node {} ({}) joins through {}; heartbeat {} ms, expiry {} ms", settings.nodeId(),
                settings.nodeUrl().isEmpty() ? "no URL announced" : settings.nodeUrl(), redacted(settings.redisUrl()),
                settings.heartbeat().toMillis(), settings.expiry().toMillis());
        thread.scheduleWithFixedDelay(this::heartbeat, 0, settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public View view() {
        return view;
    }

    /** Renews this node's entry and reads the others'; on the cluster thread. */
    private void heartbeat() {
        if (closed) {
            return;
        }
        boolean wasReachable = view.redisReachable();
        try {
            RedisCommands<String, String> redis = commands();
            redis.set(NODE_PREFIX + settings.nodeId(), entry(), SetArgs.Builder.px(settings.expiry().toMillis()));
            List<Node> nodes = nodes(redis);
            view = new View(true, nodes);
            if (!wasReachable) {
                LOG.info("Cluster: Redis reachable; node {} registered, {} node(s) seen", settings.nodeId(),
                        nodes.size());
            }
        } catch (RuntimeException e) {
            view = new View(false, view.nodes());
            if (wasReachable || connection == null) {
                LOG.warn("Cluster: Redis unreachable ({}); serving this node's own lobbies until it is back",
                        e.getMessage());
            }
        }
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            // The first connection is ours to retry; once made, Lettuce reconnects it by itself.
            connection = client.connect(StringCodec.UTF8, RedisURI.create(settings.redisUrl()));
        }
        return connection.sync();
    }

    private String entry() {
        ObjectNode entry = json.createObjectNode();
        entry.put("url", settings.nodeUrl());
        entry.put("format", EnvelopeCodec.FORMAT);
        entry.put("players", players.getAsInt());
        entry.put("cpu", Math.max(0, Math.round(processCpu() * 1000) / 1000.0));
        entry.put("since", startedAt);
        return entry.toString();
    }

    private static double processCpu() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
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
        List<io.lettuce.core.KeyValue<String, String>> values = redis.mget(keys.toArray(String[]::new));
        for (io.lettuce.core.KeyValue<String, String> value : values) {
            if (!value.hasValue()) {
                continue; // expired between the scan and the read
            }
            try {
                JsonNode entry = json.readTree(value.getValue());
                nodes.add(new Node(value.getKey().substring(NODE_PREFIX.length()), entry.path("url").asText(""),
                        entry.path("format").asInt(0), entry.path("players").asInt(0), entry.path("cpu").asDouble(0)));
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
                        connection.sync().del(NODE_PREFIX + settings.nodeId());
                        LOG.info("Cluster: node {} left the directory", settings.nodeId());
                    } catch (RuntimeException e) {
                        LOG.warn("Cluster: could not remove node {} from the directory ({}); it expires within {} ms",
                                settings.nodeId(), e.getMessage(), settings.expiry().toMillis());
                    }
                    connection.close();
                }
            }).get(COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Cluster: leaving took too long ({})", e.toString());
        }
        thread.shutdownNow();
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
        resources.shutdown(0, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}

package io.meshgate.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server of the test's own and in-process nodes on it, with a fast heartbeat (200 ms) and expiry (1 s), and
 * the test's own look at the directory in Redis. Closes nodes, then Redis.
 */
public final class TestCluster implements AutoCloseable {

    public final RedisProcess redis;
    private final RedisClient client;
    /** Redis as the test reads it. */
    public final RedisCommands<String, String> directory;
    private final List<TestServer> nodes = new ArrayList<>();

    private TestCluster(RedisProcess redis) {
        this.redis = redis;
        this.client = RedisClient.create(redis.url());
        this.directory = client.connect().sync();
    }

    public static TestCluster start() throws Exception {
        return new TestCluster(RedisProcess.start());
    }

    /** The flags of node {@code id} of this cluster, then {@code more}: for a {@link TestServer} to start with. */
    public String[] flags(String id, String... more) {
        String[] own = {"--cluster-redis", redis.url(), "--node-id", id, "--cluster-heartbeat", "200",
                "--cluster-expiry", "1000"};
        String[] all = new String[own.length + more.length];
        System.arraycopy(own, 0, all, 0, own.length);
        System.arraycopy(more, 0, all, own.length, more.length);
        return all;
    }

    /** A node with the default games, started now. */
    public TestServer node(String id, String... more) throws Exception {
        return add(new TestServer(flags(id, more)));
    }

    /** A node the test made with {@link #flags}, closed with the cluster. */
    public TestServer add(TestServer node) {
        nodes.add(node);
        return node;
    }

    /** Closes every node's clients. */
    public void closeClients() {
        nodes.forEach(TestServer::closeClients);
    }

    @Override
    public void close() throws Exception {
        client.shutdown();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        redis.close();
    }
}

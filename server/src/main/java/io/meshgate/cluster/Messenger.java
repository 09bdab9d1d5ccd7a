package io.meshgate.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.cluster.Batch;
import io.meshgate.wire.cluster.Envelope;
import io.meshgate.wire.cluster.EnvelopeCodec;
import io.meshgate.wire.cluster.Relay;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The envelopes between this node and the others, through each node's inbox (a Redis channel): messages for a node
 * go out in order, batched while a PUBLISH is on its way, and those for this node are decoded and handed to their
 * receivers by class. Part of {@link Cluster}, which says when it connects and what the other nodes are.
 */
final class Messenger {

    private static final Logger LOG = LoggerFactory.getLogger(Messenger.class);
    private static final RedisCodec<String, byte[]> BINARY = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final RedisURI uri;
    private final String nodeId;
    /** The cluster as last seen, for the envelope format each node reads. */
    private final Supplier<Cluster.View> view;
    private final EnvelopeCodec envelopes = new EnvelopeCodec();
    /** Where received messages go, by class; called on Lettuce's thread, so they must only post. */
    private final Map<Class<?>, BiConsumer<String, Object>> receivers = new ConcurrentHashMap<>();
    /** Made once on the cluster thread; shared by every thread that sends or looks something up. */
    private volatile StatefulRedisConnection<String, byte[]> outbox;
    private StatefulRedisPubSubConnection<String, byte[]> inbox;

    Messenger(RedisClient client, RedisURI uri, String nodeId, Supplier<Cluster.View> view) {
        this.client = client;
        this.uri = uri;
        this.nodeId = nodeId;
        this.view = view;
    }

    /**
     * The connection messages go out on, for lookups from any thread too; null while Redis is unreachable (and before
     * the first {@link #listen}).
     */
    StatefulRedisConnection<String, byte[]> connection() {
        StatefulRedisConnection<String, byte[]> out = outbox;
        return out != null && out.isOpen() ? out : null;
    }

    /** What a send or a lookup completes with while {@link #connection} is null. */
    static <T> CompletableFuture<T> unreachable() {
        return CompletableFuture.failedFuture(unreachableError());
    }

    private static IllegalStateException unreachableError() {
        return new IllegalStateException("Redis is unreachable");
    }

    /**
     * Subscribes to this node's inbox, and connects for sending; checked on every heartbeat, before the node renews
     * anything else. Lettuce subscribes again by itself after a reconnect, but in its own time: a Redis restarted
     * empty would have this node's lobbies listed again (and other nodes sending to it) before its inbox is there, and
     * their messages would find no listener. So the heartbeat asks Redis (on {@code redis}, not on the inbox's own
     * connection, whose answers queue behind the messages it is delivering) whether anyone listens, and subscribes
     * if nobody does. On the cluster thread; fails while Redis is unreachable, or while the connection messages go out
     * on has not reconnected yet.
     */
    void listen(RedisCommands<String, String> redis) {
        String channel = Cluster.INBOX_PREFIX + nodeId;
        if (inbox != null) {
            Long listening = redis.pubsubNumsub(channel).get(channel);
            if (listening == null || listening == 0) {
                LOG.info("Cluster: subscribing to {} again", channel);
                inbox.sync().subscribe(channel);
            }
            if (connection() == null) {
                // Each connection reconnects in its own time: until this one is back, the node can send nothing, and
                // saying it reached Redis (in /health, and by listing its lobbies) would promise what it cannot do.
                throw new IllegalStateException("the connection that sends messages is not back yet");
            }
            return;
        }
        StatefulRedisPubSubConnection<String, byte[]> subscriber = client.connectPubSub(BINARY, uri);
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                received(message);
            }
        });
        try {
            subscriber.sync().subscribe(channel);
            outbox = client.connect(BINARY, uri);
        } catch (RuntimeException e) {
            subscriber.close();
            throw e;
        }
        inbox = subscriber;
    }

    /** On Lettuce's thread: decode, hand over; a bad envelope is logged and dropped, the next one still reads. */
    private void received(byte[] bytes) {
        Envelope envelope;
        try {
            envelope = envelopes.decode(bytes);
        } catch (MalformedMessageException e) {
            LOG.warn("Cluster: dropped an unreadable envelope of {} bytes: {}", bytes.length, e.getMessage());
            return;
        }
        if (envelope.message() instanceof Batch batch) {
            batch.messages().forEach(message -> dispatch(envelope.from(), message));
        } else {
            dispatch(envelope.from(), envelope.message());
        }
    }

    private void dispatch(String from, Object message) {
        messagesReceived.increment();
        BiConsumer<String, Object> receiver = receivers.get(message.getClass());
        if (receiver == null) {
            LOG.debug("Cluster: nothing here takes {} from {}", message, from);
            return;
        }
        try {
            receiver.accept(from, message);
        } catch (RuntimeException e) {
            LOG.error("Cluster: the receiver failed on {}", message, e);
        }
    }

    /** As {@link Cluster#receive} says. */
    <T> void receive(Class<T> type, BiConsumer<String, T> receiver) {
        receivers.put(type, (from, message) -> receiver.accept(from, type.cast(message)));
    }

    /** As {@link Cluster#send} says. */
    CompletableFuture<Boolean> send(String node, Object message) {
        if (connection() == null) {
            return unreachable();
        }
        Outgoing outgoing = outgoings.computeIfAbsent(node, Outgoing::new);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        boolean start;
        synchronized (outgoing) {
            if (outgoing.queue.size() >= MAX_QUEUED) {
                return CompletableFuture.failedFuture(new IllegalStateException("node " + node + " is "
                        + MAX_QUEUED + " messages behind"));
            }
            outgoing.queue.add(new Pending(message, result));
            start = !outgoing.publishing;
            outgoing.publishing = true;
        }
        if (start) {
            publish(outgoing);
        }
        return result;
    }

    /** Messages for one node beyond this many waiting are refused: the node, or Redis, cannot keep up with them. */
    private static final int MAX_QUEUED = 50_000;
    /** The most messages in one batch, and the bytes of payload that end one early (an envelope holds 256 KiB). */
    private static final int MAX_BATCH = 256;
    private static final int BATCH_PAYLOAD = 32 * 1024;

    /**
     * Messages on their way to one node. One PUBLISH at a time per node: whatever is sent while one is on its way
     * goes in the next, as one {@link io.meshgate.wire.cluster.Batch}, so a busy node costs Redis (and both nodes) a
     * command and a delivery per batch rather than per message, and a quiet one sends each message at once. Order is
     * kept, as every message for a node goes through its queue.
     */
    private static final class Outgoing {
        final String node;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        /** Whether a PUBLISH is on its way (then whoever completes it sends the next); guarded by this. */
        boolean publishing;

        Outgoing(String node) {
            this.node = node;
        }
    }

    private record Pending(Object message, CompletableFuture<Boolean> result) {
    }

    private final Map<String, Outgoing> outgoings = new ConcurrentHashMap<>();
    /** Messages sent to other nodes, the PUBLISHes that carried them, and messages received: for the metrics. */
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder publishes = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();

    long messagesSent() {
        return messagesSent.sum();
    }

    long publishes() {
        return publishes.sum();
    }

    long messagesReceived() {
        return messagesReceived.sum();
    }

    /** Sends the messages waiting for the node in one PUBLISH, and once it completes, the next; any thread. */
    private void publish(Outgoing outgoing) {
        List<Pending> batch = new ArrayList<>();
        synchronized (outgoing) {
            int limit = batches(outgoing.node) ? MAX_BATCH : 1;
            int payload = 0;
            while (batch.size() < limit && payload < BATCH_PAYLOAD && !outgoing.queue.isEmpty()) {
                Pending next = outgoing.queue.poll();
                batch.add(next);
                payload += size(next.message());
            }
            if (batch.isEmpty()) {
                outgoing.publishing = false;
                return;
            }
        }
        StatefulRedisConnection<String, byte[]> out = connection();
        byte[] bytes = null;
        RuntimeException failure = out == null ? unreachableError() : null;
        if (failure == null) {
            try {
                List<Object> messages = new ArrayList<>(batch.size());
                batch.forEach(pending -> messages.add(pending.message()));
                bytes = envelopes.encode(nodeId, messages);
            } catch (IllegalArgumentException e) {
                failure = e;
            }
        }
        if (failure != null && batch.size() > 1 && !(failure instanceof IllegalStateException)) {
            failure = null; // too big together (a few large offers): each goes on its own
            synchronized (outgoing) {
                for (int i = batch.size() - 1; i >= 1; i--) {
                    outgoing.queue.addFirst(batch.remove(i));
                }
            }
            try {
                bytes = envelopes.encode(Envelope.of(nodeId, batch.get(0).message()));
            } catch (IllegalArgumentException e) {
                failure = e;
            }
        }
        if (failure != null) {
            for (Pending pending : batch) {
                pending.result().completeExceptionally(failure);
            }
            publish(outgoing);
            return;
        }
        messagesSent.add(batch.size());
        publishes.increment();
        out.async().publish(Cluster.INBOX_PREFIX + outgoing.node, bytes).whenComplete((receivers, error) -> {
            for (Pending pending : batch) {
                if (error != null) {
                    pending.result().completeExceptionally(error);
                } else {
                    pending.result().complete(receivers > 0);
                }
            }
            publish(outgoing);
        });
    }

    /** Drops the idle queues of nodes no longer in the directory: node ids come and go (a random one per start). */
    void forgetQueuesOfNodesGone(List<Cluster.Node> nodes) {
        Set<String> live = new HashSet<>();
        nodes.forEach(node -> live.add(node.id()));
        outgoings.values().removeIf(outgoing -> {
            synchronized (outgoing) {
                return !live.contains(outgoing.node) && !outgoing.publishing && outgoing.queue.isEmpty();
            }
        });
    }

    /** About how many bytes a message takes in a batch: its payload (a signal, a game packet), else a little. */
    private static int size(Object message) {
        if (message instanceof Relay relay) {
            return 64 + (relay.payload() != null ? relay.payload().length() * 3 : 0)
                    + (relay.data() != null ? relay.data().length : 0);
        }
        return 64;
    }

    /** Whether the node reads batches: its entry announces format 2 or later. */
    private boolean batches(String node) {
        for (Cluster.Node known : view.get().nodes()) {
            if (known.id().equals(node)) {
                return known.format() >= 2;
            }
        }
        return false;
    }


    /** Closes both connections; on the cluster thread, as the node leaves. */
    void close() {
        if (inbox != null) {
            inbox.close();
            outbox.close();
        }
    }
}

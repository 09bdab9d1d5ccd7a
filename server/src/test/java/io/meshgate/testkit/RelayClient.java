package io.meshgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshgate.net.CloseStatus;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A client speaking Godot 4's WebSocketMultiplayerPeer protocol to /relay/: the id first, then raw packets. */
public final class RelayClient implements Session.Listener.AutoDemanding {

    public static final long WAIT_MS = 10_000;
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    public final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile Session session;
    public int id;

    public static RelayClient connect(WebSocketClient jetty, int port, String lobby) throws Exception {
        RelayClient client = new RelayClient();
        jetty.connect(client, URI.create("ws://127.0.0.1:" + port + "/relay/" + lobby)).get(WAIT_MS, TimeUnit.MILLISECONDS);
        return client;
    }

    /** Reads the first packet, which Godot's client takes as its id: exactly 4 bytes, little-endian, 2 or more. */
    public int readId() throws Exception {
        byte[] first = next();
        assertEquals(4, first.length, "the first packet is the id");
        id = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return id;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        inbox.add(bytes);
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int code, String reason, Callback callback) {
        callback.succeed();
        closed.complete(new CloseStatus(code, reason));
    }

    public byte[] next() throws Exception {
        byte[] packet = inbox.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(packet, "no packet within " + WAIT_MS + " ms" + (closed.isDone() ? "; closed " + closed.get() : ""));
        return packet;
    }

    /** The first packet matching, skipping others (snapshots keep coming). */
    public ScenePacket await(String what, Predicate<ScenePacket> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            byte[] packet = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (packet != null) {
                ScenePacket scene = ScenePacket.decode(packet);
                if (match.test(scene)) {
                    return scene;
                }
            }
        }
        fail("no " + what + " within " + WAIT_MS + " ms");
        return null;
    }

    /** The next RAW packet whose Variant is a dictionary of this "type". */
    public java.util.Map<?, ?> awaitMessage(String type) throws Exception {
        ScenePacket packet = await(type, p -> p.kind() == ScenePacket.Kind.RAW && decode(p) instanceof java.util.Map<?, ?> m
                && type.equals(m.get("type")));
        return (java.util.Map<?, ?>) decode(packet);
    }

    public static Object decode(ScenePacket packet) {
        try {
            return VariantCodec.GODOT4.decode(packet.payload());
        } catch (Exception e) {
            return null;
        }
    }

    public void send(byte[] packet) {
        session.sendBinary(ByteBuffer.wrap(packet), Callback.NOOP);
    }

    public void sendText(String text) {
        session.sendText(text, Callback.NOOP);
    }

    public CloseStatus awaitClose() throws Exception {
        return closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Ends the connection without a close frame, as a lost network would. */
    public void disconnect() {
        Session current = session;
        if (current != null) {
            current.disconnect();
        }
    }

    public void close() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "bye", Callback.NOOP);
        }
    }
}

package io.meshgate.tools.rtc;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A client of the server's relay as Godot's {@code WebSocketMultiplayerPeer} is, for benchmarks: its first message is
 * its id, everything after it a SceneMultiplayer packet from peer 1.
 *
 * <p>Jetty calls it on its own threads.
 */
public final class RelayBot implements Session.Listener.AutoDemanding {

    private volatile Session session;
    volatile int id;
    volatile long openedAt;
    private final Consumer<RelayBot> opened;
    private final Consumer<String> failed;
    /** Every packet after the id (Jetty's thread). */
    volatile Consumer<byte[]> onData;

    public RelayBot(Consumer<RelayBot> opened, Consumer<String> failed) {
        this.opened = opened;
        this.failed = failed;
    }

    public void start(WebSocketClient client, URI relay) throws java.io.IOException {
        client.connect(this, relay).whenComplete((s, failure) -> {
            if (failure != null) {
                failed.accept("relay connect failed: " + failure.getMessage());
            }
        });
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        if (id == 0) {
            id = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            openedAt = System.nanoTime();
            opened.accept(this);
            return;
        }
        Consumer<byte[]> hook = onData;
        if (hook != null) {
            hook.accept(bytes);
        }
    }

    @Override
    public void onWebSocketClose(int code, String reason, Callback callback) {
        callback.succeed();
        if (code != 1000) {
            failed.accept("relay closed: " + code + " " + reason);
        }
    }

    /** Sends one SceneMultiplayer packet to peer 1. */
    public void send(byte[] packet) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.sendBinary(ByteBuffer.wrap(packet), Callback.NOOP);
        }
    }

    public void close() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "done", Callback.NOOP);
        }
    }
}

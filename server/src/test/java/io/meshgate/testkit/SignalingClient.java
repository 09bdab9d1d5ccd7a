package io.meshgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshgate.net.CloseStatus;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A Godot 4 signaling client over a real WebSocket, for tests: every wait is bounded. */
public final class SignalingClient implements Session.Listener.AutoDemanding {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile Session session;

    public static SignalingClient connect(WebSocketClient jetty, URI uri) throws Exception {
        SignalingClient client = new SignalingClient();
        jetty.connect(client, uri).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    public static CompletableFuture<SignalingClient> connectAsync(WebSocketClient jetty, URI uri) throws Exception {
        SignalingClient client = new SignalingClient();
        return jetty.connect(client, uri).thenApply(s -> client);
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        inbox.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        closed.complete(new CloseStatus(statusCode, reason));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete(new CloseStatus(-1, String.valueOf(cause)));
    }

    public void sendRaw(String text) {
        session.sendText(text, Callback.NOOP);
    }

    public void send(int type, int id, String data) {
        sendRaw(SignalCodec.encode(type, id, data));
    }

    public void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** Creates a lobby and returns its name, checking the creator's join sequence. */
    public String create(boolean mesh) throws Exception {
        send(SignalMessage.JOIN, mesh ? 0 : 1, "");
        expect(SignalMessage.ID, 1, mesh ? "true" : "");
        SignalMessage joined = next();
        assertEquals(SignalMessage.JOIN, joined.type(), "creator's second message is JOIN: " + joined);
        return joined.data();
    }

    /** The data of the next JOIN, skipping what comes before it: the name of the lobby just created or joined. */
    public String awaitJoin() throws Exception {
        SignalMessage message = next();
        while (message.type() != SignalMessage.JOIN) {
            message = next(); // each wait is bounded, and a join sequence is a handful of messages
        }
        return message.data();
    }

    public SignalMessage next() throws Exception {
        String text = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            fail("no message within " + WAIT + (closed.isDone() ? "; closed with " + closed.get() : ""));
        }
        try {
            return SignalCodec.decode(text);
        } catch (MalformedMessageException e) {
            throw new AssertionError("server sent a malformed message: " + text, e);
        }
    }

    /** The next message as raw text, to check the exact bytes the server writes. */
    public String nextRaw() throws Exception {
        String text = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(text, "no message within " + WAIT);
        return text;
    }

    /** The next message is this one: Godot's three keys; Meshgate's extra keys (a resume token) are not compared. */
    public void expect(int type, int id, String data) throws Exception {
        SignalMessage message = next();
        assertEquals(new SignalMessage(type, id, data), new SignalMessage(message.type(), message.id(),
                message.data()), "got " + message);
    }

    /** The next message as raw text, or null if none arrives within {@code within}. */
    public String poll(Duration within) throws InterruptedException {
        return inbox.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CloseStatus awaitClose() throws Exception {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection not closed within " + WAIT, e);
        }
    }

    public void expectClose(int code, String reason) throws Exception {
        assertEquals(new CloseStatus(code, reason), awaitClose());
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    public int pending() {
        return inbox.size();
    }

    /** Drops the socket without a close handshake, as a crashing client would. */
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

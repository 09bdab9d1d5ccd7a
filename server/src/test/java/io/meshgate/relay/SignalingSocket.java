package io.meshgate.relay;

import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Just enough of a Godot 4 signaling client to create a lobby for the relay tests. */
public final class SignalingSocket implements Session.Listener.AutoDemanding {

    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private volatile Session session;

    static SignalingSocket connect(WebSocketClient jetty, URI uri) throws Exception {
        SignalingSocket socket = new SignalingSocket();
        jetty.connect(socket, uri).get(10, TimeUnit.SECONDS);
        return socket;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        inbox.add(message);
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** The data of the next JOIN message: the name of the lobby just created or joined. */
    String lobbyName() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = inbox.poll(100, TimeUnit.MILLISECONDS);
            if (text != null && SignalCodec.decode(text).type() == SignalMessage.JOIN) {
                return SignalCodec.decode(text).data();
            }
        }
        throw new AssertionError("no JOIN within 10 s");
    }
}

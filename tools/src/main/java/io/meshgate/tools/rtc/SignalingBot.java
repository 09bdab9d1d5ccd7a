package io.meshgate.tools.rtc;

import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The Godot 4 signaling side of a benchmark bot: its WebSocket, what it sends, and each message it reads, decoded.
 * Jetty calls it on its own threads (and finds its methods only in a public class).
 */
public abstract class SignalingBot implements Session.Listener.AutoDemanding {

    private volatile Session session;

    /** A message from the server. */
    abstract void received(SignalMessage message);

    /** The server sent something that is not Godot 4 signaling. */
    abstract void malformed(String text);

    final void send(int type, int id, String data) {
        Session current = session;
        if (current != null) {
            current.sendText(SignalCodec.encode(type, id, data), Callback.NOOP);
        }
    }

    @Override
    public final void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public final void onWebSocketText(String text) {
        SignalMessage message;
        try {
            message = SignalCodec.decode(text);
        } catch (MalformedMessageException e) {
            malformed(text);
            return;
        }
        received(message);
    }

    /** Ends the signaling connection cleanly, if it is open. */
    final void closeSignaling() {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "done", Callback.NOOP);
        }
    }
}

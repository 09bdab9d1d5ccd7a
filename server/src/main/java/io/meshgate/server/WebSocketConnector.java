package io.meshgate.server;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * A connector whose upgraded WebSocket connections read their frames on the selector thread that saw them arrive.
 *
 * <p>Jetty registers a WebSocket connection's read interest as possibly blocking, so each readable socket costs a
 * hand-off: the selector wakes a reserved thread to take over selecting and runs the read itself, or queues it to the
 * pool. Our listeners never block (they parse, then queue to a lobby executor or a socket), so declaring those reads
 * non-blocking lets the selector run them in turn with no thread woken, as an event loop does. Plain HTTP
 * connections (the upgrade request, /health, the demo page) keep Jetty's own choice.
 */
final class WebSocketConnector extends ServerConnector {

    WebSocketConnector(Server server, int selectors, ConnectionFactory... factories) {
        super(server, null, null, null, -1, selectors, factories);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        SocketChannelEndPoint endpoint = new ReadingEndPoint(channel, selector, key, this);
        endpoint.setIdleTimeout(getIdleTimeout());
        return endpoint;
    }

    private static final class ReadingEndPoint extends SocketChannelEndPoint {

        /**
         * The last wrapper made: a WebSocket connection registers the same callback every time. One object with final
         * fields, so a thread that sees it sees it whole.
         */
        private NonBlocking last;

        ReadingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, ServerConnector owner) {
            super(channel, selector, key, owner.getScheduler());
        }

        @Override
        public void fillInterested(Callback callback) {
            super.fillInterested(nonBlocking(callback));
        }

        @Override
        public boolean tryFillInterested(Callback callback) {
            return super.tryFillInterested(nonBlocking(callback));
        }

        private Callback nonBlocking(Callback callback) {
            if (!(getConnection() instanceof WebSocketConnection)) {
                return callback;
            }
            NonBlocking wrapper = last;
            if (wrapper == null || wrapper.callback != callback) {
                wrapper = new NonBlocking(callback);
                last = wrapper;
            }
            return wrapper;
        }
    }

    private static final class NonBlocking implements Callback {

        private final Callback callback;

        NonBlocking(Callback callback) {
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            callback.succeeded();
        }

        @Override
        public void failed(Throwable cause) {
            callback.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}

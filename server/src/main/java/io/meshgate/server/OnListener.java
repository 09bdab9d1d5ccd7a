package io.meshgate.server;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets requests through to its handler only from one listener (or only from the others): the admin listener's pages
 * never answer on the players' port, and the players' WebSocket paths never answer on the admin port.
 */
final class OnListener extends Handler.Wrapper {

    private final Connector listener;
    private final boolean only;

    /** {@code only}: pass requests from {@code listener} alone; otherwise every request but those. */
    OnListener(Connector listener, boolean only, Handler handler) {
        super(handler);
        this.listener = listener;
        this.only = only;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean fromListener = request.getConnectionMetaData().getConnector() == listener;
        return fromListener == only && super.handle(request, response, callback);
    }
}

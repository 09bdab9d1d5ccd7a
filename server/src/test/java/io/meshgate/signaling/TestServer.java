package io.meshgate.signaling;

import io.meshgate.server.Config;
import io.meshgate.server.MeshgateServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A real Meshgate server on an ephemeral loopback port, with a real WebSocket client to talk to it. */
final class TestServer implements AutoCloseable {

    final MeshgateServer server;
    final WebSocketClient jetty;
    private final List<SignalingClient> clients = new ArrayList<>();

    /** Starts a server with {@code flags} on top of loopback, port 0 and the defaults. */
    TestServer(String... flags) throws Exception {
        String[] all = new String[flags.length + 4];
        all[0] = "--host";
        all[1] = "127.0.0.1";
        all[2] = "--port";
        all[3] = "0";
        System.arraycopy(flags, 0, all, 4, flags.length);
        server = new MeshgateServer(Config.of(all)).start();
        jetty = new WebSocketClient();
        jetty.setMaxTextMessageSize(16 << 20);
        jetty.start();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    int port() {
        return server.port();
    }

    synchronized SignalingClient connect() throws Exception {
        return connect("/");
    }

    /** A client on another dialect's path; closed with the others. */
    synchronized SignalingClient connect(String path) throws Exception {
        SignalingClient client = SignalingClient.connect(jetty, uri(path));
        clients.add(client);
        return client;
    }

    CompletableFuture<SignalingClient> connectAsync() throws Exception {
        return SignalingClient.connectAsync(jetty, uri("/")).thenApply(client -> {
            synchronized (this) {
                clients.add(client);
            }
            return client;
        });
    }

    /** Closes every client this test opened, so the next test starts with an idle server. */
    synchronized void closeClients() {
        clients.forEach(SignalingClient::close);
        clients.clear();
    }

    @Override
    public void close() {
        closeClients();
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("test client did not stop", e);
        }
        server.stop();
    }
}

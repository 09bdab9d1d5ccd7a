package io.meshgate.testkit;

import io.meshgate.game.Game;
import io.meshgate.game.GameType;
import io.meshgate.game.Games;
import io.meshgate.server.Config;
import io.meshgate.server.MeshgateServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real Meshgate server on an ephemeral loopback port, with a real WebSocket client to talk to it: the one way tests
 * start a server. Server-hosted lobbies run the bundled games unless a test gives its own.
 */
public final class TestServer implements AutoCloseable {

    public final MeshgateServer server;
    public final WebSocketClient jetty;
    private final List<SignalingClient> clients = new ArrayList<>();

    private final boolean tls;

    /** Starts a server with {@code flags} on top of loopback, port 0 and the defaults; it offers the bundled games. */
    public TestServer(String... flags) throws Exception {
        this(config -> Games.load(config.games(), config.defaultGame()), null, flags);
    }

    /** Starts a server whose server-hosted lobbies run {@code game}, as its only game, named "test". */
    public TestServer(Game.Factory game, String... flags) throws Exception {
        this(List.of(GameType.of("test", game)), flags);
    }

    /** Starts a server offering {@code games}; {@code --games} and {@code --default-game} choose among them. */
    public TestServer(List<GameType> games, String... flags) throws Exception {
        this(config -> Games.of(games, config.games(), config.defaultGame()), null, flags);
    }

    private TestServer(Function<Config, Games> games, TlsFiles certificate, String... flags) throws Exception {
        // Every test client comes from 127.0.0.1: per-address limits are off unless a test sets them (later flags win).
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
                "--max-peers-per-address", "0", "--max-lobbies-per-address", "0", "--max-tickets-per-address", "0"));
        if (certificate != null) {
            all.addAll(List.of("--tls-port", "0", "--tls-cert", certificate.cert().toString(), "--tls-key",
                    certificate.key().toString()));
        }
        all.addAll(List.of(flags));
        Config config = Config.of(all.toArray(String[]::new));
        server = new MeshgateServer(config, games.apply(config)).start();
        tls = certificate != null;
        jetty = certificate == null ? new WebSocketClient() : new WebSocketClient(certificate.trustingClient());
        jetty.setMaxTextMessageSize(16 << 20);
        jetty.start();
    }

    /**
     * A started WebSocket client whose connections come from {@code source}, another loopback address than 127.0.0.1
     * (all of 127.0.0.0/8 is loopback): for per-address limits. The caller stops it.
     */
    public static WebSocketClient clientFrom(String source) throws Exception {
        HttpClient http = new HttpClient();
        http.setBindAddress(new InetSocketAddress(source, 0));
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        return client;
    }

    /** A server with a TLS listener on a fresh self-signed certificate; {@link #connect} goes over {@code wss://}. */
    public static TestServer withTls(TlsFiles certificate, String... flags) throws Exception {
        return new TestServer(config -> Games.load(config.games(), config.defaultGame()), certificate, flags);
    }

    public URI uri(String path) {
        return tls ? URI.create("wss://127.0.0.1:" + server.tlsPort() + path)
                : URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    public int port() {
        return server.port();
    }

    public synchronized SignalingClient connect() throws Exception {
        return connect("/");
    }

    /** A client on another dialect's path; closed with the others. */
    public synchronized SignalingClient connect(String path) throws Exception {
        SignalingClient client = SignalingClient.connect(jetty, uri(path));
        clients.add(client);
        return client;
    }

    public CompletableFuture<SignalingClient> connectAsync() throws Exception {
        return SignalingClient.connectAsync(jetty, uri("/")).thenApply(client -> {
            synchronized (this) {
                clients.add(client);
            }
            return client;
        });
    }

    /** Closes every client this test opened, so the next test starts with an idle server. */
    public synchronized void closeClients() {
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

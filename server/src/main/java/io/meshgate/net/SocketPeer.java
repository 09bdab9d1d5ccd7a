package io.meshgate.net;

import io.meshgate.lobby.Departure;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Traffic;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket client of the lobby core, whatever it speaks (a signaling dialect or the relay): registers the peer
 * when the socket opens, applies the rate limit (pings included), answers pings, and unregisters on close. It extends
 * into an endpoint with a frame parser and an event writer.
 *
 * <p>Jetty calls the listener methods, and so {@link #opened}, {@link #text}, {@link #binary} and
 * {@link #disconnected}, on its I/O threads, one at a time per connection; they must not block.
 */
public abstract class SocketPeer extends Peer implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(SocketPeer.class);

    protected final LobbyService lobbies;
    private final Connections connections;
    /** Where the client connected, for statistics: the endpoint's path, without a lobby name in it. */
    private final String endpoint;
    private final String path;
    protected Connection connection;
    private volatile boolean gone;
    /** Set by the endpoint before the socket opens; the TCP peer's address unless a trusted proxy named another. */
    private volatile String clientAddress;
    /** Set by the endpoint before the socket opens when the upgrade request is refused (a bad token). */
    private volatile CloseStatus refusal;

    protected SocketPeer(LobbyService lobbies, Connections connections, String path) {
        this(lobbies, connections, path, path);
    }

    /** For endpoints whose path carries more than the endpoint (the relay's lobby name). */
    protected SocketPeer(LobbyService lobbies, Connections connections, String endpoint, String path) {
        this.lobbies = lobbies;
        this.connections = connections;
        this.endpoint = endpoint;
        this.path = path;
    }

    /** Where the client connects from, as the endpoint read it off the upgrade request; before the socket opens. */
    public final void from(String address) {
        this.clientAddress = address;
    }

    /**
     * Called before the socket opens: the connection is closed with {@code status} as soon as it opens, and nothing
     * else is sent. The WebSocket is accepted first because a browser sees nothing of a refused upgrade but a failure.
     */
    public final void refuse(CloseStatus status) {
        this.refusal = status;
    }

    /** This connection's place among its user's: the user id its token proved, and its kind (signaling or relay). */
    private String userKey() {
        return (endpoint.startsWith("/relay") ? "relay:" : "signaling:") + userId();
    }

    /** Another connection of the same user replaced this one. */
    final void replaced() {
        Connection current = connection;
        if (current != null) {
            LOG.info("Peer {} from {}: its user connected again; this connection is closed", id(), current.remote());
            departed(Departure.DROPPED); // as a lost connection: the new one may resume its seat
            current.close(CloseStatus.SIGNED_IN_ELSEWHERE);
        }
    }

    @Override
    protected final String origin() {
        return clientAddress;
    }

    @Override
    public final void onWebSocketOpen(Session session) {
        if (clientAddress == null) {
            clientAddress = ClientAddress.hostOf(session.getRemoteSocketAddress());
        }
        connection = connections.open(session, endpoint, clientAddress);
        if (connection.isClosing()) {
            return; // over its address's limit: closed, never registered
        }
        if (refusal != null) {
            LOG.info("Connection {} on {} refused: {}", connection.remote(), path, refusal.reason());
            connection.close(refusal);
            return;
        }
        if (userId() != null && !connections.claimUser(userKey(), this)) {
            LOG.info("Connection {} on {} refused: user {} is connected already", connection.remote(), path,
                    userId());
            connection.close(CloseStatus.ALREADY_CONNECTED);
            return;
        }
        if (lobbies.register(this)) {
            LOG.info("Peer {} connected from {} on {}", id(), connection.remote(), path);
            opened();
        }
    }

    /** The peer is registered and has its id; the endpoint may greet it or start its join deadline. */
    protected abstract void opened();

    /** The socket closed, before the core hears of it: for state an endpoint keeps outside the core. */
    protected void disconnected() {
    }

    /** One whole text message from the client, within the rate limit. */
    protected abstract void text(String message);

    /** One whole binary message from the client, within the rate limit; valid only during the call. */
    protected abstract void binary(ByteBuffer message);

    @Override
    public final void onWebSocketText(String message) {
        if (admit()) {
            connection.received(utf8Length(message));
            text(message);
        }
    }

    /** The message's size as it came over the wire, without encoding it again. */
    private static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // two bytes up to U+07FF, three for the rest of the BMP; a surrogate pair's four are two per half
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    @Override
    public final void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (admit()) {
                connection.received(payload.remaining());
                binary(payload);
            }
        } finally {
            callback.succeed();
        }
    }

    private boolean admit() {
        if (connection.isClosing()) {
            return false; // frames that were already in flight when we decided to close
        }
        if (!connection.allowMessage()) {
            LOG.info("Peer {} from {} exceeded the message rate", id(), connection.remote());
            connection.close(CloseStatus.RATE_EXCEEDED);
            return false;
        }
        return true;
    }

    @Override
    public final void onWebSocketPong(ByteBuffer payload) {
        connection.pong();
    }

    /**
     * A client's ping costs the server a pong: it counts against the message rate like any frame, so a ping flood
     * closes as a message flood does. (Declaring this method turns Jetty's automatic pong off: it is answered here.)
     */
    @Override
    public final void onWebSocketPing(ByteBuffer payload) {
        if (admit()) {
            connection.answerPing(payload);
        }
    }

    /**
     * The close is acknowledged (Jetty answers the client's close frame) only once the core has the departure, so a
     * client that saw its close answered and comes back at once finds its leaving already in its lobby's queue.
     */
    @Override
    public final void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            if (gone) {
                return;
            }
            gone = true;
            connection.closed();
            if (userId() != null) {
                connections.releaseUser(userKey(), this);
            }
            departed(departure(statusCode));
            disconnected();
            lobbies.unregister(this);
            LOG.info("Peer {} disconnected from {} (lobby {}): {} {}", id(), connection.remote(), lobbyName(),
                    statusCode, reason);
        } finally {
            callback.succeed();
        }
    }

    /**
     * How the connection ended, from its close: the server's own close is a removal, unless it was for a lost
     * connection (no pong, a reader too slow to keep); the client's 1000 or application code (3000-4999) is a
     * departure on purpose; anything else (1001, 1006, no close frame) is a lost connection.
     */
    private Departure departure(int statusCode) {
        CloseStatus sent = connection.closeSent();
        if (connection.dropped() || CloseStatus.PING_TIMEOUT.equals(sent)) {
            return Departure.DROPPED;
        }
        if (sent != null) {
            return Departure.KICKED;
        }
        return statusCode == 1000 || (statusCode >= 3000 && statusCode <= 4999) ? Departure.LEFT : Departure.DROPPED;
    }

    @Override
    public final void onWebSocketError(Throwable cause) {
        LOG.debug("Peer {} socket error", id(), cause);
    }

    /** Closes with an endpoint's status. */
    protected final void close(CloseStatus status) {
        connection.close(status);
    }

    /** Closes for the client's own fault, logging what it sent beside the reason it is told. */
    protected final void reject(CloseStatus status, String detail) {
        LOG.info("Peer {} from {}: {} ({})", id(), connection.remote(), status.reason(), detail);
        close(status);
    }

    @Override
    protected final Traffic traffic() {
        Connection current = connection;
        return current == null ? null : current.traffic();
    }

    /** By default a refused request closes the connection with the reference server's text. */
    @Override
    protected void refused(Reason reason) {
        CloseStatus status = CloseStatus.of(reason);
        LOG.info("Peer {} from {}: {}", id(), connection.remote(), status.reason());
        close(status);
    }

    /** By default the end of a membership closes the connection with the reference server's text. */
    @Override
    protected void ended(Reason reason) {
        close(CloseStatus.of(reason));
    }

    /** Every endpoint tells a kicked client the host's reason in a 4000 close. */
    @Override
    protected final void kicked(String message) {
        departed(Departure.KICKED);
        close(CloseStatus.ofText(message));
    }

    /** A game's refusal reaches the client in the game's words. */
    @Override
    protected void refused(Reason reason, String text) {
        LOG.info("Peer {} from {}: {}", id(), connection.remote(), reason);
        close(CloseStatus.ofText(text));
    }

    /** A lobby its game closed tells the client the game's words. */
    @Override
    protected void ended(Reason reason, String text) {
        close(CloseStatus.ofText(text));
    }
}

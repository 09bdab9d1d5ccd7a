package io.meshgate.signaling;

import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot3.TextMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client speaking Godot 3's text signaling protocol on {@code /godot3}, as Godot 3's webrtc_signaling demo does
 * (docs/protocol.md). Lobbies it creates are open to Godot 3 clients only (Godot 3 makes the lower id offer, the reverse
 * of Godot 4): meshes hosted by their creator (id 1), or, with {@code ?hosting=server} on the URL (or
 * {@code --default-hosting server}), hosted by the server, which then offers to each client. Errors close with 4000
 * and the same reason texts as Godot 4's dialect.
 */
public final class Godot3Peer extends SocketPeer {

    static final CloseStatus INVALID_HOSTING = CloseStatus.error("Invalid hosting, must be server or peer");
    static final CloseStatus GAME_NEEDS_SERVER = CloseStatus.error("Invalid game, a game runs only in a server-hosted lobby");

    private final Duration noLobbyTimeout;
    /** Null when the URL asked for a hosting that does not exist: the connection is refused once open. */
    private final Boolean serverHosted;
    /** The game a lobby this client creates runs ({@code ?game=}), or null for the server's default. */
    private final String game;

    public Godot3Peer(LobbyService lobbies, Connections connections, Duration noLobbyTimeout, Boolean serverHosted,
                      String game) {
        super(lobbies, connections, "/godot3");
        this.noLobbyTimeout = noLobbyTimeout;
        this.serverHosted = serverHosted;
        this.game = game;
    }

    @Override
    public Dialect dialect() {
        return Dialect.GODOT3;
    }

    /** In a cluster, a Godot 3 client joins a lobby of another node by name: its signaling is forwarded there. */
    @Override
    protected boolean joinsElsewhere() {
        return true;
    }

    @Override
    protected void opened() {
        if (serverHosted == null) {
            reject(INVALID_HOSTING, "the URL's hosting parameter");
            return;
        }
        if (game != null && !serverHosted) {
            reject(GAME_NEEDS_SERVER, "the URL's game parameter");
            return;
        }
        connection.setDeadline(noLobbyTimeout.toMillis(), TimeUnit.MILLISECONDS, () -> close(CloseStatus.NO_LOBBY));
    }

    @Override
    protected void text(String frame) {
        TextMessage message;
        int destination = 0;
        try {
            message = TextMessage.decode(frame);
            if ("OAC".indexOf(message.command()) >= 0) {
                destination = message.destination();
            }
        } catch (MalformedMessageException e) {
            reject(CloseStatus.INVALID_FORMAT, e.getMessage());
            return;
        }
        switch (message.command()) {
            case 'J' -> {
                connection.clearDeadline();
                // A server-hosted lobby announces only host and client to each other: the game runs on the server.
                if (message.arg().isEmpty()) {
                    lobbies.create(this, !serverHosted, serverHosted, game);
                } else if (message.arg().equals(Godot4Peer.QUICK_PLAY)) {
                    lobbies.quickPlay(this, !serverHosted, serverHosted, game);
                } else {
                    lobbies.join(this, message.arg());
                }
            }
            case 'S' -> lobbies.seal(this);
            case 'O' -> lobbies.forward(this, Signal.OFFER, destination, message.payload());
            case 'A' -> lobbies.forward(this, Signal.ANSWER, destination, message.payload());
            default -> lobbies.forward(this, Signal.CANDIDATE, destination, message.payload());
        }
    }

    @Override
    protected void binary(ByteBuffer message) {
        reject(CloseStatus.TEXT_ONLY, message.remaining() + " bytes");
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        connection.send(TextMessage.encode('I', id, ""));
    }

    @Override
    protected void peerConnected(int id) {
        connection.send(TextMessage.encode('N', id, ""));
    }

    @Override
    protected void peerDisconnected(int id) {
        connection.send(TextMessage.encode('D', id, ""));
    }

    @Override
    protected void joined(String lobbyName) {
        connection.send(TextMessage.encode('J', lobbyName, ""));
    }

    @Override
    protected void sealed() {
        connection.send(TextMessage.encode('S', "", ""));
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        char command = switch (kind) {
            case OFFER -> 'O';
            case ANSWER -> 'A';
            case CANDIDATE -> 'C';
            case MESSAGE -> throw new IllegalStateException("Godot lobbies carry no free-form messages");
        };
        connection.send(TextMessage.encode(command, from, payload));
    }
}

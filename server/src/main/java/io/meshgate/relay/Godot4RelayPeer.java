package io.meshgate.relay;

import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.host.RelayLink;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.signaling.Godot4Peer;
import io.meshgate.signaling.SignalingPeer;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Godot 4 client playing through the server on {@code /relay/<lobby>}: it set
 * {@code WebSocketMultiplayerPeer.create_client(url)} as its multiplayer peer instead of WebRTC. The server answers as
 * Godot's WebSocket server would: the client's id as one 4-byte little-endian packet, then raw SceneMultiplayer
 * packets both ways, so the lobby's game sees it as any other player. {@code <lobby>} is a lobby name, or {@code *}
 * for quick play; the lobby must be server-hosted and client/server.
 */
public final class Godot4RelayPeer extends SignalingPeer implements RelayLink {

    private static final Logger LOG = LoggerFactory.getLogger(Godot4RelayPeer.class);
    static final CloseStatus NOT_SERVER_HOSTED = new CloseStatus(CloseStatus.PROTOCOL_ERROR,
            "Relay needs a server-hosted client/server lobby");
    static final CloseStatus TEXT_FRAME = new CloseStatus(CloseStatus.PROTOCOL_ERROR,
            "Invalid transfer mode, must be binary");

    private final Hosts hosts;
    private final String lobby;
    private volatile HostPeer host;
    private int lobbyId;

    public Godot4RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, String lobby) {
        super(lobbies, connections, "/relay/" + lobby);
        this.hosts = hosts;
        this.lobby = lobby;
    }

    @Override
    protected void opened() {
        if (lobby.equals("*")) {
            lobbies.quickPlay(this, false, true);
        } else if (lobby.matches("[A-Za-z0-9]{1,64}")) {
            lobbies.join(this, lobby);
        } else {
            close(Godot4Peer.statusOf(Reason.LOBBY_NOT_FOUND));
        }
    }

    @Override
    protected void text(String message) {
        close(TEXT_FRAME);
    }

    @Override
    protected void binary(ByteBuffer message) {
        HostPeer current = host;
        if (current == null) {
            return; // nothing can be addressed before the id is sent
        }
        byte[] packet = new byte[message.remaining()];
        message.get(packet);
        current.relayed(lobbyId, packet);
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        lobbyId = id;
        if (mesh) {
            // mesh members connect to each other directly, which a relay player cannot
            close(NOT_SERVER_HOSTED);
        }
    }

    @Override
    protected void joined(String lobbyName) {
        HostPeer found = hosts.find(lobbyName);
        if (found == null) {
            close(NOT_SERVER_HOSTED);
            return;
        }
        // Godot's WebSocketMultiplayerPeer client waits for exactly this before anything else: its id, int32 LE.
        connection.sendBinary(new byte[] {(byte) lobbyId, (byte) (lobbyId >> 8), (byte) (lobbyId >> 16),
            (byte) (lobbyId >> 24)}, false);
        host = found;
        found.attachRelay(lobbyId, this);
        LOG.info("Peer {} plays lobby {} through the relay", id(), lobbyName);
    }

    @Override
    public void send(byte[] packet, boolean droppable) {
        connection.sendBinary(packet, droppable);
    }

    @Override
    protected void peerConnected(int id) {
        // the host announces players with SceneMultiplayer's ADD_PEER
    }

    @Override
    protected void peerDisconnected(int id) {
        // and their departures with DEL_PEER
    }

    @Override
    protected void sealed() {
        // nothing to tell a relay player
    }

    @Override
    protected void relayed(Signal kind, int from, String payload) {
        // no WebRTC signaling reaches a relay player
    }

    @Override
    protected void end(Reason reason) {
        close(Godot4Peer.statusOf(reason));
    }

    @Override
    protected void kicked(String message) {
        close(new CloseStatus(CloseStatus.PROTOCOL_ERROR, message));
    }
}

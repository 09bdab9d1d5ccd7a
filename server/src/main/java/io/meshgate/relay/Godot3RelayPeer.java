package io.meshgate.relay;

import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.lobby.LobbyService;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot3.RelayFrame;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Godot 3.2 client on {@code /relay/godot3/<lobby>}: a {@code WebSocketClient} set as {@code network_peer}. The
 * server answers as Godot 3's WebSocket server would (SYS_ID, then SYS_ADD for peer 1 and for every other player)
 * and translates between its 9-byte-header frames and the host's SceneMultiplayer packets. Game data is
 * {@code send_bytes} (command RAW); data that is one Variant is re-encoded between Godot 3's and Godot 4's type
 * tables, other bytes pass unchanged. A frame whose {@code from} is not the sender's id is dropped, as Godot 3's
 * server drops it; a frame that is not RAW data (an RPC) or not a frame at all closes with 4000 and the reason.
 */
public final class Godot3RelayPeer extends RelayPeer {

    private static final Logger LOG = LoggerFactory.getLogger(Godot3RelayPeer.class);

    private long forged;

    public Godot3RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, String lobby) {
        super(lobbies, connections, hosts, "/relay/godot3/", lobby);
    }

    /**
     * A Godot 3 relay client plays Godot 4 lobbies (translated) and Godot 3 ones: the WebSocket fallback for Godot 3
     * builds without WebRTC, beside Godot 3 WebRTC players.
     */
    @Override
    protected boolean canJoin(String lobbyDialect) {
        return lobbyDialect.equals("godot4") || lobbyDialect.equals("godot3");
    }

    @Override
    protected void greet(int id) {
        connection.sendBinary(RelayFrame.system(RelayFrame.SYS_ID, id), false);
        connection.sendBinary(RelayFrame.system(RelayFrame.SYS_ADD, 1), false);
    }

    @Override
    protected void binary(ByteBuffer message) {
        HostPeer current = host;
        if (current == null) {
            return;
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        RelayFrame frame;
        try {
            frame = RelayFrame.decode(bytes);
        } catch (MalformedMessageException e) {
            close(new CloseStatus(CloseStatus.PROTOCOL_ERROR, "Malformed frame: " + e.getMessage()));
            return;
        }
        if (frame.from() != lobbyId) {
            if (forged++ == 0) {
                LOG.warn("Peer {} sent a frame claiming to be from {}; dropped, as are any that follow", lobbyId,
                        frame.from());
            }
            return;
        }
        if (!frame.isRaw()) {
            close(new CloseStatus(CloseStatus.PROTOCOL_ERROR, "Only send_bytes data is relayed, not Godot 3 RPCs"));
            return;
        }
        byte[] packet = ScenePacket.raw(VariantCodec.GODOT3.translateIfVariant(frame.rawData(), VariantCodec.GODOT4));
        int to = frame.to();
        if (to == 1) {
            current.relayed(lobbyId, packet);
            return;
        }
        // Godot 4's relay request has Godot 3's addressing (0 all, -n all but n); its peer 1 processes a broadcast
        // itself only for 0 and -1, where Godot 3's server processes every one not aimed away from it.
        current.relayed(lobbyId, ScenePacket.relay(to, packet));
        if (to < -1) {
            current.relayed(lobbyId, packet);
        }
    }

    @Override
    public void send(byte[] packet, boolean droppable) {
        ScenePacket scene;
        try {
            scene = ScenePacket.decode(packet);
        } catch (MalformedMessageException e) {
            LOG.warn("Peer {}: unreadable packet for a Godot 3 client dropped: {}", id(), e.getMessage());
            return;
        }
        byte[] frame = switch (scene.kind()) {
            case RAW -> RelayFrame.raw(1, lobbyId,
                    VariantCodec.GODOT4.translateIfVariant(scene.payload(), VariantCodec.GODOT3));
            case ADD_PEER -> RelayFrame.system(RelayFrame.SYS_ADD, scene.peer());
            case DEL_PEER -> RelayFrame.system(RelayFrame.SYS_DEL, scene.peer());
            case RELAY -> relayedFrame(scene);
            case AUTH, OTHER -> null;
        };
        if (frame != null) {
            connection.sendBinary(frame, droppable);
        }
    }

    /** Another player's packet forwarded by peer 1; only its RAW data means anything to a Godot 3 client. */
    private byte[] relayedFrame(ScenePacket relay) {
        try {
            ScenePacket inner = ScenePacket.decode(relay.payload());
            if (inner.kind() == ScenePacket.Kind.RAW) {
                return RelayFrame.raw(relay.peer(), lobbyId,
                        VariantCodec.GODOT4.translateIfVariant(inner.payload(), VariantCodec.GODOT3));
            }
            LOG.debug("Peer {}: a Godot 4 {} from peer {} cannot reach a Godot 3 client", id(), inner.kind(),
                    relay.peer());
        } catch (MalformedMessageException e) {
            LOG.debug("Peer {}: unreadable relayed packet from peer {}: {}", id(), relay.peer(), e.getMessage());
        }
        return null;
    }
}

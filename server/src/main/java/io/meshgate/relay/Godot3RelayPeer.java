package io.meshgate.relay;

import io.meshgate.game.Delivery;
import io.meshgate.host.FanOut;
import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot3.Translation;
import io.meshgate.wire.godot3.WebSocketFrame;
import io.meshgate.wire.godot4.ScenePacket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Godot 3.2 client on {@code /relay/godot3/<lobby>}: a {@code WebSocketClient} set as {@code network_peer}. The
 * server answers as Godot 3's WebSocket server would (SYS_ID, then SYS_ADD for peer 1 and for every other player) in
 * its 9-byte-header frames. Game data is {@code send_bytes} (command RAW), translated between Godot 3's and Godot 4's
 * Variants (see {@link Translation}). A frame whose {@code from} is not the sender's id is dropped, as Godot 3's server
 * drops it; a frame that is not RAW data (an RPC) or not a frame at all closes with 4000 and the reason.
 */
public final class Godot3RelayPeer extends RelayPeer {

    private static final Logger LOG = LoggerFactory.getLogger(Godot3RelayPeer.class);

    private long forged;

    public Godot3RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, String lobby, String game) {
        super(lobbies, connections, hosts, null, "/relay/godot3/", lobby, game);
    }

    /**
     * A Godot 3 relay client plays Godot 4 lobbies (translated) and Godot 3 ones: the WebSocket fallback for Godot 3
     * builds without WebRTC, beside Godot 3 WebRTC players.
     */
    @Override
    protected boolean canJoin(Dialect lobbyDialect) {
        return lobbyDialect == Dialect.GODOT4 || lobbyDialect == Dialect.GODOT3;
    }

    @Override
    public boolean godot3() {
        return true;
    }

    @Override
    protected void greet(int id) {
        connection.sendBinary(WebSocketFrame.system(WebSocketFrame.SYS_ID, id), false);
        connection.sendBinary(WebSocketFrame.system(WebSocketFrame.SYS_ADD, 1), false);
    }

    @Override
    protected void binary(ByteBuffer message) {
        HostPeer current = host;
        if (current == null) {
            return;
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        WebSocketFrame frame;
        try {
            frame = WebSocketFrame.decode(bytes);
        } catch (MalformedMessageException e) {
            close(CloseStatus.error("Malformed frame: " + e.getMessage()));
            return;
        }
        int self = lobbyId;
        if (frame.from() != self) {
            if (forged++ == 0) {
                LOG.warn("Peer {} sent a frame claiming to be from {}; dropped, as are any that follow", self,
                        frame.from());
            }
            return;
        }
        if (!frame.isRaw()) {
            close(CloseStatus.error("Only send_bytes data is relayed, not Godot 3 RPCs"));
            return;
        }
        byte[] data = Translation.toGodot4(frame.rawData());
        int to = frame.to();
        if (to == 1) {
            current.data(this, self, data);
            return;
        }
        // Godot 3 addresses as peer 1's fan-out does (0 all, -n all but n), but peer 1 processes a broadcast itself
        // only for 0 and -1, where Godot 3's server processes every one not aimed away from it.
        current.fanOut(this, self, to, ScenePacket.raw(data));
        if (to < -1) {
            current.data(this, self, data);
        }
    }

    @Override
    public void send(Delivery delivery, byte[] data) {
        connection.sendBinary(WebSocketFrame.raw(1, lobbyId, Translation.toGodot3(data)),
                delivery != Delivery.RELIABLE);
    }

    @Override
    public void peerAdded(int id) {
        connection.sendBinary(WebSocketFrame.system(WebSocketFrame.SYS_ADD, id), false);
    }

    @Override
    public void peerRemoved(int id) {
        connection.sendBinary(WebSocketFrame.system(WebSocketFrame.SYS_DEL, id), false);
    }

    /** Only game data means anything to a Godot 3 client: a Godot 4 RPC fanned out to it is lost on it. */
    @Override
    public void fannedOut(FanOut packet) {
        if (packet.data() == null) {
            LOG.debug("Peer {}: a Godot 4 packet from peer {} that is not game data cannot reach a Godot 3 client",
                    id(), packet.from());
            return;
        }
        connection.sendBinary(WebSocketFrame.raw(packet.from(), lobbyId, Translation.toGodot3(packet.data())),
                packet.delivery() != Delivery.RELIABLE);
    }
}

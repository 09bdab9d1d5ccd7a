package io.meshgate.relay;

import io.meshgate.game.Delivery;
import io.meshgate.host.Godot4Link;
import io.meshgate.host.HostPeer;
import io.meshgate.host.Hosts;
import io.meshgate.lobby.LobbyService;
import io.meshgate.net.Connections;
import java.nio.ByteBuffer;

/**
 * A Godot 4 client on {@code /relay/<lobby>}: it set {@code WebSocketMultiplayerPeer.create_client(url)} as its
 * multiplayer peer instead of WebRTC. The server answers as Godot's WebSocket server would: the client's id as one
 * 4-byte little-endian packet, then raw SceneMultiplayer packets both ways.
 */
public final class Godot4RelayPeer extends RelayPeer implements Godot4Link {

    public Godot4RelayPeer(LobbyService lobbies, Connections connections, Hosts hosts, StandIns standIns,
                           String lobby, String game) {
        super(lobbies, connections, hosts, standIns, "/relay/", lobby, game);
    }

    @Override
    public boolean standsIn() {
        return standIns != null && standIns.enabled();
    }

    @Override
    protected void greet(int id) {
        // Godot's WebSocketMultiplayerPeer client waits for exactly this before anything else: its id, int32 LE.
        connection.sendBinary(new byte[] {(byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24)}, false);
    }

    @Override
    protected void binary(ByteBuffer message) {
        HostPeer current = host;
        byte[] packet = new byte[message.remaining()];
        message.get(packet);
        if (current != null) {
            current.received(this, lobbyId, packet);
        } else if (inLobbyElsewhere()) {
            lobbies.packetElsewhere(this, packet);
        } else {
            toStandIn(packet);
        }
    }

    /** In a cluster, a Godot 4 relay player plays a server-hosted lobby of any node: its traffic is forwarded. */
    @Override
    protected boolean joinsElsewhere() {
        return true;
    }

    @Override
    protected void hostPacket(int delivery, byte[] packet) {
        Delivery[] deliveries = Delivery.values();
        write(delivery >= 0 && delivery < deliveries.length ? deliveries[delivery] : Delivery.RELIABLE, packet);
    }

    /** Unreliable game traffic is what a slow reader may lose first (see {@code Connection.sendBinary}). */
    @Override
    public void write(Delivery delivery, byte[] packet) {
        connection.sendBinary(packet, delivery != Delivery.RELIABLE);
    }
}

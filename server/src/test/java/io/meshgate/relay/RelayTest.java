package io.meshgate.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.arena.ArenaGame;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.variant.VariantCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Godot 4 clients without WebRTC, playing through /relay/ over real sockets. */
class RelayTest {

    private final List<TestServer> servers = new ArrayList<>();
    private final List<RelayClient> clients = new ArrayList<>();
    private final ArenaGames games = new ArenaGames();

    private TestServer server(Game.Factory game, String... flags) throws Exception {
        TestServer server = new TestServer(game, flags);
        servers.add(server);
        return server;
    }

    private TestServer arena(String... flags) throws Exception {
        return server(games, flags);
    }

    private RelayClient relay(TestServer server, String lobby) throws Exception {
        RelayClient client = RelayClient.connect(server.jetty, server.port(), lobby);
        clients.add(client);
        return client;
    }

    @AfterEach
    void stop() {
        clients.forEach(RelayClient::close);
        servers.forEach(TestServer::close);
    }

    private static byte[] input(float x, float y, long seq) {
        return ScenePacket.raw(VariantCodec.GODOT4.encode(ArenaGame.input(x, y, seq)));
    }

    @Test
    void aRelayClientGetsItsIdThenPlaysTheArena() throws Exception {
        TestServer server = arena();
        RelayClient a = relay(server, "*");
        int id = a.readId();
        assertTrue(id >= 2, "ids of clients are 2 or more: " + id);
        Map<?, ?> welcome = a.awaitMessage("welcome");
        assertEquals((long) id, welcome.get("id"));
        a.awaitMessage("snapshot");
        a.send(input(1, 0, 1));
        Eventually.await("the server applied the relay player's input", () -> games.applied(id, 1));
    }

    @Test
    void aLobbyWhoseGameCannotStartClosesInsteadOfIdling() throws Exception {
        TestServer server = server(room -> {
            throw new IllegalStateException("the game's assets are missing");
        });
        RelayClient player = relay(server, "*");
        player.readId();
        assertEquals(new CloseStatus(4000, "Room host has disconnected"), player.awaitClose());
        Eventually.await("the lobby is gone", () -> server.server.lobbies().lobbyCount() == 0);
    }

    @Test
    void relayPlayersSeeEachOtherAndRelayThroughTheServer() throws Exception {
        TestServer server = arena();
        RelayClient a = relay(server, "*");
        int idA = a.readId();
        RelayClient b = relay(server, "*"); // quick play puts b in a's lobby
        int idB = b.readId();
        a.await("ADD_PEER of b", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idB, new byte[0])));
        b.await("ADD_PEER of a", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idA, new byte[0])));
        byte[] inner = ScenePacket.raw(new byte[] {9, 8, 7});
        a.send(ScenePacket.fanOut(idB, inner)); // what a's SceneMultiplayer sends for send_bytes(data, b)
        b.await("the relayed packet, from a", p -> p.equals(new ScenePacket(ScenePacket.Kind.FAN_OUT, idA, inner)));
        a.close();
        // the game's leave event comes first, then SceneMultiplayer's DEL_PEER
        assertEquals((long) idA, b.awaitMessage("leave").get("id"));
        b.await("DEL_PEER of a", p -> p.equals(new ScenePacket(ScenePacket.Kind.DEL_PEER, idA, new byte[0])));
    }

    @Test
    void withoutStandInsOnlyServerHostedClientServerLobbiesTakeRelayPlayers() throws Exception {
        TestServer server = arena("--max-stand-ins", "0");
        // a peer-hosted lobby, created over signaling
        SignalingClient host = server.connect();
        host.send(SignalMessage.JOIN, 5, "");
        String peerHosted = host.awaitJoin();
        SignalingClient member = server.connect();
        member.send(SignalMessage.JOIN, 0, peerHosted);
        member.awaitJoin();
        int memberId = host.next().id(); // PEER_CONNECT of the member
        assertEquals(new CloseStatus(4000, "Relay needs a server-hosted client/server lobby"),
                relay(server, peerHosted).awaitClose());
        // refused before anyone heard of it: the host's next message is the member's, not a PEER_CONNECT
        member.send(SignalMessage.OFFER, 1, "sentinel");
        host.expect(SignalMessage.OFFER, memberId, "sentinel");
        SignalingClient meshHost = server.connect();
        meshHost.send(SignalMessage.JOIN, 2, ""); // server-hosted, but a mesh
        assertEquals(new CloseStatus(4000, "Relay needs a server-hosted client/server lobby"),
                relay(server, meshHost.awaitJoin()).awaitClose());
        assertEquals(new CloseStatus(4000, "Lobby does not exists"), relay(server, "NoSuchLobby").awaitClose());
        // an encoded slash never reaches the relay: Jetty refuses the ambiguous path before any upgrade
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> relay(server, "..%2Fetc"))
                .getMessage().contains("400"));
        RelayClient texter = relay(server, "*");
        texter.readId();
        texter.sendText("hello");
        assertEquals(new CloseStatus(4000, "Invalid transfer mode, must be binary"), texter.awaitClose());
        // the refused relay clients cost the lobbies they asked for nothing: their creators are still connected
        assertTrue(host.isOpen() && meshHost.isOpen());
    }

    @Test
    void inAPeerHostedLobbyTheServerSignalsForTheRelayPlayerAsAnOrdinaryPeer() throws Exception {
        TestServer server = arena();
        SignalingClient host = server.connect();
        host.send(SignalMessage.JOIN, 5, ""); // peer-hosted, client/server
        String peerHosted = host.awaitJoin();
        RelayClient player = relay(server, peerHosted);
        SignalMessage announced = host.next();
        assertEquals(SignalMessage.PEER_CONNECT, announced.type(), "the host is told of a peer: " + announced);
        int playerId = announced.id();
        // Godot's rule: the larger id offers; the server makes the player's offer, over the player's membership.
        SignalMessage offer = host.next();
        assertEquals(SignalMessage.OFFER, offer.type());
        assertEquals(playerId, offer.id());
        assertTrue(offer.data().startsWith("v=0") && offer.data().contains("webrtc-datachannel"),
                "a WebRTC offer with data channels: " + offer.data());
        // Nothing reaches the player before the host is reached over WebRTC: its first packet must be its id.
        assertTrue(player.closed.getNow(null) == null);
        host.close();
        assertEquals(new CloseStatus(4000, "Room host has disconnected"), player.awaitClose());
        Eventually.await("the stand-in's connection is given back", () -> server.server.standIns().connections() == 0);
    }

    @Test
    void aSealedPeerHostedLobbyLetsItsRelayPlayerPlayOnAsItsOtherMembersDo() throws Exception {
        TestServer server = arena("--seal-timeout", "300");
        SignalingClient host = server.connect();
        host.send(SignalMessage.JOIN, 5, "");
        String peerHosted = host.awaitJoin();
        RelayClient player = relay(server, peerHosted);
        assertEquals(SignalMessage.PEER_CONNECT, host.next().type());
        host.send(SignalMessage.SEAL, 0, "");
        assertEquals(new CloseStatus(1000, "Seal complete"), host.awaitClose(), "the lobby let its host go");
        Eventually.await("the lobby is gone", () -> server.server.lobbies().lobbyCount() == 0);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> player.closed.get(500, TimeUnit.MILLISECONDS),
                "the relay player's socket stays: its game goes on over the server's WebRTC connections");
        player.close();
        Eventually.await("its stand-in ends with it", () -> server.server.standIns().connections() == 0);
    }

    @Test
    void standInConnectionsAreBoundedPerLobby() throws Exception {
        TestServer server = arena("--max-stand-ins-per-lobby", "1");
        SignalingClient host = server.connect();
        host.send(SignalMessage.JOIN, 4, ""); // a peer-hosted mesh: a relay player needs a connection to each
        String mesh = host.awaitJoin();
        SignalingClient member = server.connect();
        member.send(SignalMessage.JOIN, 0, mesh);
        member.awaitJoin();
        assertEquals(new CloseStatus(4000, "No room for another relay player here"),
                relay(server, mesh).awaitClose());
        Eventually.await("what it took is given back", () -> server.server.standIns().connections() == 0);
        assertTrue(host.isOpen() && member.isOpen(), "the lobby plays on");
    }

    /** Floods every player with 16 KiB snapshots, and with a reliable 16 KiB event when asked. */
    private static final class Flood extends IdleGame {
        private final io.meshgate.game.Room room;
        static volatile boolean reliableToo;

        Flood(io.meshgate.game.Room room) {
            this.room = room;
        }

        @Override
        public void tick(double dt) {
            room.broadcast(Delivery.UNRELIABLE, new byte[16 << 10]);
            if (reliableToo) {
                room.broadcast(Delivery.RELIABLE, new byte[16 << 10]);
            }
        }
    }

    @Test
    void aSlowReaderLosesSnapshotsBeforeItLosesItsConnection() throws Exception {
        TestServer server = server(Flood::new, "--max-send-queue-bytes", "262144", "--tick-rate", "60");
        Flood.reliableToo = false;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            // a relay client that upgrades and then never reads again
            socket.getOutputStream().write(("GET /relay/* HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: "
                    + "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            RelayClient reader = relay(server, "*"); // a reader that keeps up, in the same lobby
            reader.readId();
            // ~1 MB/s of snapshots for 3 s: far more than the slow reader's socket and its 256 KiB bound hold
            long until = System.nanoTime() + 3_000_000_000L;
            int received = 0;
            while (System.nanoTime() < until) {
                reader.next();
                received++;
            }
            assertTrue(received > 100, "the good reader kept receiving: " + received);
            assertEquals(2, server.server.connections().count(), "only unreliable traffic queued: the slow reader stays");
            Flood.reliableToo = true; // reliable data cannot be dropped: now the slow reader must go
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.server.connections().count() > 1 && System.nanoTime() < deadline) {
                reader.next(); // keep the good reader reading; polls the count between packets
            }
            assertEquals(1, server.server.connections().count(), "the slow reader was cut off, not buffered");
            assertTrue(!reader.closed.isDone(), "the good reader is still connected");
        } finally {
            Flood.reliableToo = false;
        }
    }
}

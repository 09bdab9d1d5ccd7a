package io.meshgate.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.Player;
import io.meshgate.game.arena.ArenaGame;
import io.meshgate.net.CloseStatus;
import io.meshgate.server.Config;
import io.meshgate.server.MeshgateServer;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.signaling.SignalingClient;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Godot 4 clients without WebRTC, playing through /relay/ over real sockets. */
class RelayTest {

    private final List<MeshgateServer> servers = new ArrayList<>();
    private final List<RelayClient> clients = new ArrayList<>();
    private final Set<ArenaGame> games = ConcurrentHashMap.newKeySet();
    private WebSocketClient jetty;

    private MeshgateServer server(Game.Factory game, String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(flags));
        MeshgateServer server = new MeshgateServer(Config.of(all.toArray(new String[0])), game).start();
        servers.add(server);
        if (jetty == null) {
            jetty = new WebSocketClient();
            jetty.start();
        }
        return server;
    }

    private MeshgateServer arena(String... flags) throws Exception {
        return server(room -> {
            ArenaGame game = new ArenaGame(room);
            games.add(game);
            return game;
        }, flags);
    }

    private RelayClient relay(MeshgateServer server, String lobby) throws Exception {
        RelayClient client = RelayClient.connect(jetty, server.port(), lobby);
        clients.add(client);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RelayClient::close);
        if (jetty != null) {
            jetty.stop();
        }
        servers.forEach(MeshgateServer::stop);
    }

    private static byte[] input(float x, float y, long seq) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("move", new Vector2(x, y));
        input.put("seq", seq);
        return ScenePacket.raw(VariantCodec.GODOT4.encode(input));
    }

    @Test
    void aRelayClientGetsItsIdThenPlaysTheArena() throws Exception {
        MeshgateServer server = arena();
        RelayClient a = relay(server, "*");
        int id = a.readId();
        assertTrue(id >= 2, "ids of clients are 2 or more: " + id);
        Map<?, ?> welcome = a.awaitMessage("welcome");
        assertEquals((long) id, welcome.get("id"));
        a.awaitMessage("snapshot");
        a.send(input(1, 0, 1));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && games.stream().noneMatch(g -> g.view().containsKey(id)
                && g.view().get(id).lastSeq() == 1)) {
            Thread.sleep(20); // polling the game's published state; bounded
        }
        assertTrue(games.stream().anyMatch(g -> g.view().get(id) != null && g.view().get(id).lastSeq() == 1),
                "the server applied the relay player's input");
    }

    @Test
    void relayPlayersSeeEachOtherAndRelayThroughTheServer() throws Exception {
        MeshgateServer server = arena();
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
    void onlyServerHostedClientServerLobbiesTakeRelayPlayers() throws Exception {
        MeshgateServer server = arena();
        // a peer-hosted lobby, created over signaling
        SignalingClient host = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + server.port() + "/"));
        host.send(SignalMessage.JOIN, 5, "");
        String peerHosted = host.awaitJoin();
        assertEquals(new CloseStatus(4000, "Relay needs a server-hosted client/server lobby"),
                relay(server, peerHosted).awaitClose());
        SignalingClient meshHost = SignalingClient.connect(jetty, URI.create("ws://127.0.0.1:" + server.port() + "/"));
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

    /** Floods every player with 16 KiB snapshots, and with a reliable 16 KiB event when asked. */
    private static final class Flood implements Game {
        private final io.meshgate.game.Room room;
        static volatile boolean reliableToo;

        Flood(io.meshgate.game.Room room) {
            this.room = room;
        }

        @Override
        public void onJoin(Player player) {
        }

        @Override
        public void onLeave(Player player) {
        }

        @Override
        public void onPacket(Player player, Delivery delivery, byte[] payload) {
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
        MeshgateServer server = server(Flood::new, "--max-send-queue-bytes", "262144", "--tick-rate", "60");
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
            assertEquals(2, server.connections().count(), "only unreliable traffic queued: the slow reader stays");
            Flood.reliableToo = true; // reliable data cannot be dropped: now the slow reader must go
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.connections().count() > 1 && System.nanoTime() < deadline) {
                reader.next(); // keep the good reader reading; polls the count between packets
            }
            assertEquals(1, server.connections().count(), "the slow reader was cut off, not buffered");
            assertTrue(!reader.closed.isDone(), "the good reader is still connected");
        } finally {
            Flood.reliableToo = false;
        }
    }
}

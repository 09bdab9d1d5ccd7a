package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.lobby.LobbyInfo;
import io.meshgate.lobby.Reason;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.variant.VariantCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relay players (Godot 4's WebSocket multiplayer, no WebRTC) connected to one node play a server-hosted lobby whose
 * game runs on another, and cannot tell: the same id packet, the game's messages, SceneMultiplayer's peer notices
 * and relayed packets, as on one node.
 */
class ClusterRelayTest {

    private static final ArenaGames GAMES = new ArenaGames();
    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;
    private final List<RelayClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.add(new TestServer(GAMES, cluster.flags("node-a")));
        b = cluster.add(new TestServer(GAMES, cluster.flags("node-b")));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RelayClient::close);
        clients.clear();
        a.closeClients();
        b.closeClients();
    }

    private RelayClient relay(TestServer node, String lobby) throws Exception {
        RelayClient client = RelayClient.connect(node.jetty, node.port(), lobby);
        clients.add(client);
        return client;
    }

    /** A server-hosted client/server arena lobby made on node A by a signaling client; its name. */
    private static String arenaOnA() throws Exception {
        SignalingClient creator = a.connect();
        creator.send(SignalMessage.JOIN, 3, ""); // client/server, server-hosted
        return creator.awaitJoin();
    }

    private static byte[] input(float x, float y, long seq) {
        return ScenePacket.raw(VariantCodec.GODOT4.encode(ArenaGame.input(x, y, seq)));
    }

    @Test
    void aRelayPlayerOfOneNodePlaysTheGameOfAnotherWithOneOfThatNode() throws Exception {
        String lobby = arenaOnA();
        RelayClient there = relay(b, lobby);
        int idThere = there.readId();
        assertTrue(idThere >= 2, "a client's id: " + idThere);
        assertEquals((long) idThere, there.awaitMessage("welcome").get("id"), "the game, on A, greets it");
        there.awaitMessage("snapshot");
        there.send(input(1, 0, 1));
        Eventually.await("A's game applied the input of B's relay player", () -> GAMES.applied(idThere, 1));

        RelayClient here = relay(a, lobby);
        int idHere = here.readId();
        there.await("ADD_PEER of A's player", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idHere,
                new byte[0])));
        here.await("ADD_PEER of B's player", p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, idThere,
                new byte[0])));
        byte[] inner = ScenePacket.raw(new byte[] {9, 8, 7});
        there.send(ScenePacket.fanOut(idHere, inner));
        here.await("B's player's packet, relayed by A's game",
                p -> p.equals(new ScenePacket(ScenePacket.Kind.FAN_OUT, idThere, inner)));
        here.send(ScenePacket.fanOut(idThere, inner));
        there.await("and back", p -> p.equals(new ScenePacket(ScenePacket.Kind.FAN_OUT, idHere, inner)));

        LobbyInfo info = Eventually.value("both relay players in A's lobby", () -> {
            LobbyInfo found = a.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                    .filter(l -> l.name().equals(lobby)).findFirst().orElse(null);
            return found != null && found.members().size() == 4 ? found : null; // the server, creator, two players
        });
        assertEquals(2, info.members().stream().filter(m -> m.transport().equals("relay")).count(), info.toString());

        there.close();
        assertEquals((long) idThere, here.awaitMessage("leave").get("id"), "B's player left, as one of A's would");
        here.await("DEL_PEER of B's player", p -> p.equals(new ScenePacket(ScenePacket.Kind.DEL_PEER, idThere,
                new byte[0])));
    }

    /**
     * In a peer-hosted lobby of another node, the relay player's own node stands in for it over WebRTC, as on one
     * node: the host is told of a peer and gets its offer, signaled through the cluster.
     */
    @Test
    void inAPeerHostedLobbyOfAnotherNodeTheRelayPlayersNodeSignalsForIt() throws Exception {
        SignalingClient host = a.connect();
        host.send(SignalMessage.JOIN, 5, ""); // client/server, peer-hosted
        String peerHosted = host.awaitJoin();
        RelayClient player = relay(b, peerHosted);
        SignalMessage announced = host.next();
        assertEquals(SignalMessage.PEER_CONNECT, announced.type(), "the host is told of a peer: " + announced);
        SignalMessage offer = host.next();
        assertEquals(SignalMessage.OFFER, offer.type(), offer.toString());
        assertEquals(announced.id(), offer.id(), "made by B's stand-in, as the player");
        assertTrue(offer.data().startsWith("v=0") && offer.data().contains("webrtc-datachannel"), offer.data());
        assertTrue(player.closed.getNow(null) == null, "nothing reaches the player before the host is reached");
        host.close();
        assertEquals(CloseStatus.of(Reason.HOST_DISCONNECTED), player.awaitClose());
        Eventually.await("B's stand-in gave its connection back", () -> b.server.standIns().connections() == 0);
    }

    /** A node without stand-ins refuses its relay player another node's peer-hosted lobby, as it refuses its own. */
    @Test
    void withoutStandInsARelayPlayerIsRefusedAPeerHostedLobbyOfAnotherNode() throws Exception {
        SignalingClient host = a.connect();
        host.send(SignalMessage.JOIN, 5, "");
        String peerHosted = host.awaitJoin();
        try (TestServer plain = new TestServer(GAMES, cluster.flags("node-c", "--max-stand-ins", "0"))) {
            RelayClient there = RelayClient.connect(plain.jetty, plain.port(), peerHosted);
            clients.add(there);
            assertEquals(CloseStatus.of(Reason.UNSUITABLE_LOBBY), there.awaitClose());
        }
    }

    /**
     * A relay player of B in A's game takes its seat back after a dropped connection with the key it chose, first
     * through B (which finds the seat's node in the directory), then through A itself.
     */
    @Test
    void aRelayPlayerTakesItsSeatInAnotherNodesGameBackThroughEitherNode() throws Exception {
        String lobby = arenaOnA();
        String first = "key-one-" + Long.toHexString(System.nanoTime()) + "-0123456789";
        RelayClient player = relay(b, lobby + "?resume_key=" + first);
        int id = player.readId();
        player.awaitMessage("welcome");
        player.send(input(1, 0, 1));
        Eventually.await("A's game applied the input", () -> GAMES.applied(id, 1));

        player.disconnect(); // no close frame
        Eventually.await("A holds the seat", () -> a.server.lobbies().heldSeats() == 1);
        String second = "key-two-" + Long.toHexString(System.nanoTime()) + "-0123456789";
        RelayClient back = relay(b, lobby + "?resume=" + first + "&resume_key=" + second);
        assertEquals(id, back.readId(), "the same id, through B");
        back.send(input(1, 0, 2));
        Eventually.await("the resumed player's input applied in the same game", () -> GAMES.applied(id, 2));
        assertEquals(0, a.server.lobbies().heldSeats());

        back.disconnect();
        Eventually.await("held again", () -> a.server.lobbies().heldSeats() == 1);
        RelayClient home = relay(a, "*?resume=" + second + "&resume_key=" + first + "x");
        assertEquals(id, home.readId(), "and through the seat's own node");
        home.send(input(1, 0, 3));
        Eventually.await("its input applied", () -> GAMES.applied(id, 3));
        RelayClient stale = relay(b, lobby + "?resume=" + first + "&resume_key=" + second + "y");
        assertEquals(CloseStatus.of(Reason.RESUME_REFUSED), stale.awaitClose(), "a spent key takes nothing back");
    }
}

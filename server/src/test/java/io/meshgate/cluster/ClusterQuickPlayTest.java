package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.sync.RedisCommands;
import io.meshgate.lobby.Reason;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quick play sees the whole cluster: a player of any node takes a free seat in a quick-play lobby of any node before
 * a new lobby opens, and a draining node is sent nobody. Two nodes (a third for the drain) on a real redis-server;
 * quick-play lobbies of two seats, so that each one fills quickly.
 */
class ClusterQuickPlayTest {

    private static final String MESH_PEER_HOSTED = "meshgate:quick:godot4/mesh/peer";
    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;
    private static RedisCommands<String, String> directory;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.node("node-a", "--quick-play-size", "2");
        b = cluster.node("node-b", "--quick-play-size", "2");
        directory = cluster.directory;
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        a.closeClients();
        b.closeClients();
        Eventually.await("no quick-play seat left open", () -> directory.zcard(MESH_PEER_HOSTED) == 0);
    }

    /** Quick play for a mesh of peers; returns the lobby's name once the player's join sequence is through. */
    private static String quickPlay(SignalingClient player, boolean creates) throws Exception {
        player.send(SignalMessage.JOIN, 0, "*");
        SignalMessage id = player.next();
        assertEquals(SignalMessage.ID, id.type(), "first the player's id: " + id);
        if (creates) {
            assertEquals(1, id.id(), "the player opened the lobby and hosts it");
        } else {
            assertTrue(id.id() >= 2, "the player joined a lobby someone hosts: " + id);
            player.expect(SignalMessage.PEER_CONNECT, 1, "");
        }
        return player.awaitJoin();
    }

    private static void awaitOpenSeat(String node, boolean open) throws InterruptedException {
        Eventually.await(node + (open ? " has" : " has no") + " quick-play seat in the directory",
                () -> (directory.zscore(MESH_PEER_HOSTED, node) != null) == open);
    }

    /** The node that owns {@code lobby}, by the directory (which its node writes a moment after it opens). */
    private static TestServer owner(String lobby) throws Exception {
        String node = Eventually.value(lobby + " listed", () -> directory.get("meshgate:lobby:" + lobby));
        assertTrue("node-a".equals(node) || "node-b".equals(node), lobby + " is listed under " + node);
        return node.equals("node-a") ? a : b;
    }

    private static TestServer other(TestServer node) {
        return node == a ? b : a;
    }

    private static String id(TestServer node) {
        return node == a ? "node-a" : "node-b";
    }

    /**
     * Which node a new lobby opens on depends on the nodes' load, CPU included, which two nodes in one test process
     * share: so each player here connects to the node that does not own the lobby it should find.
     */
    @Test
    void aPlayerOfOneNodeTakesAFreeSeatOnAnotherBeforeALobbyOpens() throws Exception {
        SignalingClient first = a.connect();
        String lobby = quickPlay(first, true);
        TestServer owner = owner(lobby);
        awaitOpenSeat(id(owner), true);

        SignalingClient second = other(owner).connect();
        assertEquals(lobby, quickPlay(second, false), "the other node's player takes the free seat");
        SignalMessage joined = first.next();
        assertEquals(SignalMessage.PEER_CONNECT, joined.type());
        second.send(SignalMessage.OFFER, 1, "v=0 quick");
        first.expect(SignalMessage.OFFER, joined.id(), "v=0 quick");
        awaitOpenSeat(id(owner), false); // two seats, both taken

        SignalingClient third = other(owner).connect();
        String next = quickPlay(third, true);
        assertNotEquals(lobby, next, "no seat anywhere: a new lobby");
        TestServer nextOwner = owner(next);
        awaitOpenSeat(id(nextOwner), true);
        SignalingClient fourth = other(nextOwner).connect();
        assertEquals(next, quickPlay(fourth, false));
        assertEquals(SignalMessage.PEER_CONNECT, third.next().type());
        awaitOpenSeat(id(nextOwner), false);

        // a seat freed is offered to the other node's players again
        second.close();
        first.expect(SignalMessage.PEER_DISCONNECT, joined.id(), "");
        awaitOpenSeat(id(owner), true);
        SignalingClient fifth = other(owner).connect();
        assertEquals(lobby, quickPlay(fifth, false));
    }

    /**
     * A draining node says so in the directory at once and withdraws its quick-play seats (where placement sends
     * players: see PlacementTest), and a join of one of its lobbies from another node is refused as it refuses one.
     */
    @Test
    void aDrainingNodeSaysSoAndRefusesJoinsFromOtherNodesAsOneNodeDoes() throws Exception {
        try (TestServer c = new TestServer(cluster.flags("node-c", "--quick-play-size", "2", "--drain-timeout",
                "30000"))) {
            SignalingClient host = c.connect();
            String lobby = host.create(true);
            Eventually.await("C lists its lobby", () -> "node-c".equals(directory.get("meshgate:lobby:" + lobby)));
            Eventually.await("C does not drain yet",
                    () -> directory.get("meshgate:node:node-c").contains("\"draining\":false"));

            c.server.drain();
            Eventually.await("C announces it drains",
                    () -> directory.get("meshgate:node:node-c").contains("\"draining\":true"));
            SignalingClient joiner = b.connect();
            joiner.send(SignalMessage.JOIN, 0, lobby);
            assertEquals(CloseStatus.of(Reason.DRAINING), joiner.awaitClose(), "joining C's lobby: as C refuses it");
            c.closeClients();
        }
    }
}

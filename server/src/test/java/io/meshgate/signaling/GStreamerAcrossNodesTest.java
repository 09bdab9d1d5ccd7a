package io.meshgate.signaling;

import static io.meshgate.signaling.GStreamerProtocolTest.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GStreamer's protocol across two nodes of a cluster: a uid is one client's in the whole cluster, a SESSION reaches
 * a uid of the other node with every frame forwarded in order, and a ROOM is one room whichever node its members
 * connect to. Each client sees exactly what it sees on one node (GStreamerProtocolTest).
 */
class GStreamerAcrossNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.node("node-a");
        b = cluster.node("node-b");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        cluster.closeClients();
    }

    private static final String OFFER = "{\"sdp\": {\"type\": \"offer\", \"sdp\": \"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\"}}";

    @Test
    void aUidIsOneClientsInTheWholeCluster() throws Exception {
        SignalingClient ann = hello(a, "ann");
        assertEquals("node-a", cluster.directory.get("meshgate:gstreamer:ann"));
        SignalingClient twin = b.connect("/gst");
        twin.sendRaw("HELLO ann");
        twin.expectClose(1002, "invalid peer uid");

        ann.close();
        Eventually.await(() -> cluster.directory.get("meshgate:gstreamer:ann") == null, WAIT,
                () -> "the uid is given up when its client leaves");
        SignalingClient again = hello(b, "ann"); // and is then free on every node
        assertEquals("node-b", cluster.directory.get("meshgate:gstreamer:ann"));
        again.close();
    }

    @Test
    void aSessionReachesAUidOfTheOtherNodeAndForwardsEveryFrameInOrder() throws Exception {
        SignalingClient callee = hello(a, "callee-x");
        SignalingClient caller = hello(b, "caller-x");
        caller.sendRaw("SESSION nobody-x");
        assertEquals("ERROR peer 'nobody-x' not found", caller.nextRaw());
        caller.sendRaw("SESSION callee-x");
        assertEquals("SESSION_OK", caller.nextRaw());

        caller.sendRaw(OFFER);
        assertEquals(OFFER, callee.nextRaw());
        for (int i = 0; i < 50; i++) {
            (i % 2 == 0 ? caller : callee).sendRaw("{\"ice\": " + i + "}");
        }
        for (int i = 0; i < 50; i++) {
            assertEquals("{\"ice\": " + i + "}", (i % 2 == 0 ? callee : caller).nextRaw(), "frame " + i);
        }
        callee.sendRaw("HELLO not-a-command-here"); // the call's, as on one node
        assertEquals("HELLO not-a-command-here", caller.nextRaw());

        SignalingClient thirdHere = hello(a, "third-a");
        thirdHere.sendRaw("SESSION callee-x");
        assertEquals("ERROR peer 'callee-x' busy", thirdHere.nextRaw());
        SignalingClient thirdThere = hello(b, "third-b");
        thirdThere.sendRaw("SESSION callee-x");
        assertEquals("ERROR peer 'callee-x' busy", thirdThere.nextRaw(), "busy for the other node's clients too");
        thirdThere.sendRaw("SESSION caller-x");
        assertEquals("ERROR peer 'caller-x' busy", thirdThere.nextRaw());

        caller.close();
        callee.expectClose(1000, "session peer left");
        Eventually.await(() -> cluster.directory.get("meshgate:gstreamer:callee-x") == null, WAIT,
                () -> "the closed callee's uid is given up");
    }

    /** A callee that places a call of its own hangs up the one it was put in, across nodes as on one. */
    @Test
    void aCalleesOwnCallEndsTheSessionAcrossNodes() throws Exception {
        SignalingClient callee = hello(a, "callee-y");
        SignalingClient friend = hello(a, "friend-y");
        SignalingClient caller = hello(b, "caller-y");
        caller.sendRaw("SESSION callee-y");
        assertEquals("SESSION_OK", caller.nextRaw());
        callee.sendRaw("SESSION friend-y");
        assertEquals("SESSION_OK", callee.nextRaw());
        caller.expectClose(1000, "session peer left");
        callee.sendRaw(OFFER);
        assertEquals(OFFER, friend.nextRaw());

        // the caller's side leaving ends it too: the callee of the other node is closed
        SignalingClient other = hello(a, "other-y");
        SignalingClient leaving = hello(b, "leaving-y");
        leaving.sendRaw("SESSION other-y");
        assertEquals("SESSION_OK", leaving.nextRaw());
        leaving.sendRaw("SESSION friend-y"); // its own next call: busy, and its first call is over
        other.expectClose(1000, "session peer left");
        assertEquals("ERROR peer 'friend-y' busy", leaving.nextRaw());
    }

    @Test
    void aRoomIsOneRoomWhicheverNodeItsMembersUse() throws Exception {
        SignalingClient ann = hello(a, "room-ann");
        ann.sendRaw("ROOM r1");
        assertEquals("ROOM_OK ", ann.nextRaw());
        assertEquals("node-a", cluster.directory.get("meshgate:lobby:gstreamer:r1"));

        SignalingClient bob = hello(b, "room-bob");
        bob.sendRaw("ROOM r1");
        bob.sendRaw("ROOM_PEER_LIST"); // sent before ROOM_OK came: answered after it, as on one node
        assertEquals("ROOM_OK room-ann", bob.nextRaw());
        assertEquals("ROOM_PEER_LIST room-ann", bob.nextRaw());
        assertEquals("ROOM_PEER_JOINED room-bob", ann.nextRaw());
        SignalingClient cid = hello(b, "room-cid");
        cid.sendRaw("ROOM r1");
        String list = cid.nextRaw();
        assertTrue(list.equals("ROOM_OK room-ann room-bob") || list.equals("ROOM_OK room-bob room-ann"), list);
        assertEquals("ROOM_PEER_JOINED room-cid", ann.nextRaw());
        assertEquals("ROOM_PEER_JOINED room-cid", bob.nextRaw());

        bob.sendRaw("ROOM_PEER_MSG room-ann " + OFFER);
        assertEquals("ROOM_PEER_MSG room-bob " + OFFER, ann.nextRaw());
        ann.sendRaw("ROOM_PEER_MSG room-cid hi");
        assertEquals("ROOM_PEER_MSG room-ann hi", cid.nextRaw());
        cid.sendRaw("ROOM_PEER_MSG room-bob hey");
        assertEquals("ROOM_PEER_MSG room-cid hey", bob.nextRaw());
        bob.sendRaw("ROOM_PEER_LIST");
        String peers = bob.nextRaw();
        assertEquals(Set.of("room-ann", "room-cid"), Set.of(peers.substring("ROOM_PEER_LIST ".length()).split(" ")));

        SignalingClient outside = hello(a, "outside-z"); // registered on the room's node, in no room
        bob.sendRaw("ROOM_PEER_MSG outside-z hi");
        assertEquals("ERROR peer 'outside-z' is not in the room", bob.nextRaw());
        bob.sendRaw("ROOM_PEER_MSG ghost-z hi");
        assertEquals("ERROR peer 'ghost-z' not found", bob.nextRaw());
        bob.sendRaw("ROOM r2");
        assertEquals("ERROR invalid msg, already in room", bob.nextRaw());

        cid.close();
        assertEquals("ROOM_PEER_LEFT room-cid", ann.nextRaw());
        assertEquals("ROOM_PEER_LEFT room-cid", bob.nextRaw());
        ann.close();
        assertEquals("ROOM_PEER_LEFT room-ann", bob.nextRaw());
        bob.close();
        Eventually.await(() -> cluster.directory.get("meshgate:lobby:gstreamer:r1") == null, WAIT,
                () -> "the room's name is given up with its last member");
        outside.close();
    }

    /** Clients of both nodes asking for a new room at once meet in one room, on one node. */
    @Test
    void twoNodesNeverOpenTwoRoomsOfOneName() throws Exception {
        for (int round = 0; round < 5; round++) {
            String room = "race" + round;
            SignalingClient here = hello(a, "here-" + round);
            SignalingClient there = hello(b, "there-" + round);
            here.sendRaw("ROOM " + room);
            there.sendRaw("ROOM " + room);
            List<String> answers = List.of(here.nextRaw(), there.nextRaw());
            assertTrue(answers.contains("ROOM_OK ") && (answers.contains("ROOM_OK here-" + round)
                    || answers.contains("ROOM_OK there-" + round)), "one opened it, the other joined: " + answers);
            SignalingClient first = answers.get(0).equals("ROOM_OK ") ? here : there;
            assertEquals("ROOM_PEER_JOINED " + (first == here ? "there-" : "here-") + round, first.nextRaw());
            here.close();
            there.close();
        }
    }

    /** A node that leaves takes its clients' sessions with it: their other sides are closed as when a peer leaves. */
    @Test
    void aNodeThatLeavesEndsItsClientsSessions() throws Exception {
        TestServer c = cluster.node("node-c");
        SignalingClient callee = hello(c, "callee-c");
        SignalingClient caller = hello(a, "caller-c");
        caller.sendRaw("SESSION callee-c");
        assertEquals("SESSION_OK", caller.nextRaw());
        c.close();
        caller.expectClose(1000, "session peer left");
        callee.awaitClose();
        Eventually.await(() -> cluster.directory.get("meshgate:gstreamer:callee-c") == null, WAIT,
                () -> "the node's uids left with it");
        assertNull(cluster.directory.get("meshgate:node:node-c"));
    }
}

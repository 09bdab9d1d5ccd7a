package io.meshgate.signaling;

import static io.meshgate.signaling.RoomProtocolTest.create;
import static io.meshgate.signaling.RoomProtocolTest.expect;
import static io.meshgate.signaling.RoomProtocolTest.join;
import static io.meshgate.signaling.RoomProtocolTest.register;
import static io.meshgate.signaling.RoomProtocolTest.send;

import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestCluster;
import io.meshgate.testkit.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ###!} room protocol across two nodes of a cluster: a player of node B joins a room node A keeps, by its
 * name, and hears and says exactly what it would on A, refusals that leave it in the room included.
 */
class RoomsAcrossNodesTest {

    private static TestCluster cluster;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start();
        a = cluster.node("node-a", "--seal-timeout", "300");
        b = cluster.node("node-b", "--seal-timeout", "300");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aPlayerOfAnotherNodeJoinsRelaysMessagesAndIsRefusedAsOnTheRoomsNode() throws Exception {
        SignalingClient ann = register(a, "ann");
        String room = create(ann);
        SignalingClient bob = register(b, "bob");
        int bobId = join(bob, room, List.of("ann", "bob"));
        expect(ann, "RPC", String.valueOf(bobId));
        SignalingClient cid = register(a, "cid");
        int cidId = join(cid, room, List.of("ann", "bob", "cid")); // bob known by his name on A too
        expect(ann, "RPC", String.valueOf(cidId));
        expect(bob, "RPC", String.valueOf(cidId));

        send(bob, "OO", "{\"id\":1,\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        expect(ann, "OOO", "{\"id\":" + bobId + ",\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        send(ann, "AA", "{\"id\":" + bobId + ",\"rtc\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        expect(bob, "AAA", "{\"id\":1,\"rtc\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");

        send(bob, "SM", "{\"text\":\"hi all\"}");
        expect(ann, "RMK", "{\"text\":\"hi all\"}");
        expect(bob, "RMK", "{\"text\":\"hi all\"}");
        expect(cid, "RMK", "{\"text\":\"hi all\"}");

        // refused, and still in the room: the reference's SRB, then the seal that follows reaches it
        send(bob, "SR", "\"null\"");
        expect(bob, "SRB", "\"Room Not Found Or Player Isn't Host\"");
        send(bob, "OO", "{\"id\":" + cidId + ",\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=1\"}}");
        expect(cid, "OOO", "{\"id\":" + bobId + ",\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=1\"}}");
        send(ann, "SR", "\"null\"");
        expect(ann, "SRK", "\"null\"");
        expect(bob, "SRK", "\"null\"");
        expect(cid, "SRK", "\"null\"");
        bob.expectClose(4000, "Room Cleaned Up");
        ann.expectClose(4000, "Room Cleaned Up");
    }
}

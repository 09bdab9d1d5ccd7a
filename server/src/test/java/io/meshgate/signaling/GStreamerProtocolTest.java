package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.testkit.TlsFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GStreamer's signalling protocol on /gst, over wss:// with a self-signed certificate as its stock clients connect:
 * every flow (HELLO, SESSION, ROOM) and every error text of the reference server, frame by frame.
 */
class GStreamerProtocolTest {

    @TempDir
    static Path certificates;
    private static TlsFiles tls;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFiles.create(certificates);
        server = TestServer.withTls(tls, "--no-lobby-timeout", "1500");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        server.closeClients();
    }

    private static SignalingClient hello(String uid) throws Exception {
        return hello(server, uid);
    }

    /** A client of {@code node} registered as {@code uid}. */
    static SignalingClient hello(TestServer node, String uid) throws Exception {
        SignalingClient client = node.connect("/gst");
        client.sendRaw("HELLO " + uid);
        assertEquals("HELLO", client.nextRaw());
        return client;
    }

    private static final String OFFER = "{\"sdp\": {\"type\": \"offer\", \"sdp\": \"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\"}}";

    @Test
    void helloRegistersAUidOrGivesOne() throws Exception {
        hello("alice");
        SignalingClient anonymous = server.connect("/gst");
        anonymous.sendRaw("HELLO");
        String reply = anonymous.nextRaw();
        assertTrue(reply.matches("HELLO [0-9a-f-]{36}"), reply);
        // The uid the server chose is a real registration: another client can call it.
        SignalingClient caller = hello("caller");
        caller.sendRaw("SESSION " + reply.substring(6));
        assertEquals("SESSION_OK", caller.nextRaw());
    }

    @Test
    void badHellosCloseWith1002() throws Exception {
        hello("taken");
        SignalingClient duplicate = server.connect("/gst");
        duplicate.sendRaw("HELLO taken");
        duplicate.expectClose(1002, "invalid peer uid");

        SignalingClient spaced = server.connect("/gst");
        spaced.sendRaw("HELLO two words");
        spaced.expectClose(1002, "invalid peer uid");

        SignalingClient tooLong = server.connect("/gst");
        tooLong.sendRaw("HELLO " + "u".repeat(GStreamerPeer.MAX_ID_LENGTH + 1));
        tooLong.expectClose(1002, "invalid peer uid");

        SignalingClient wrong = server.connect("/gst");
        wrong.sendRaw("ROOM r1");
        wrong.expectClose(1002, "invalid protocol");

        SignalingClient silent = server.connect("/gst");
        silent.expectClose(1002, "no HELLO in time");

        SignalingClient binary = server.connect("/gst");
        binary.sendBinary(new byte[] {1, 2, 3});
        binary.expectClose(4000, "Invalid transfer mode, must be text");
    }

    /**
     * The protocol puts a called peer in the call without asking it. A stranger who calls alice just before she
     * calls bob must not receive her call: her own SESSION is never forwarded, it hangs up the stranger's call.
     */
    @Test
    void aStrangerWhoCallsAPeerCannotReadTheCallItPlaces() throws Exception {
        SignalingClient alice = hello("alice-h");
        SignalingClient bob = hello("bob-h");
        SignalingClient stranger = hello("stranger-h");
        stranger.sendRaw("SESSION alice-h");
        assertEquals("SESSION_OK", stranger.nextRaw());

        alice.sendRaw("SESSION bob-h");
        assertEquals("SESSION_OK", alice.nextRaw(), "her own call, placed as she asked");
        stranger.expectClose(1000, "session peer left");
        alice.sendRaw(OFFER);
        assertEquals(OFFER, bob.nextRaw(), "her offer reaches bob");
        assertEquals(0, stranger.pending(), "and nothing of hers reached the stranger");

        // a peer in a call may leave it for a room too, without its request being forwarded
        SignalingClient carol = hello("carol-h");
        SignalingClient dave = hello("dave-h");
        carol.sendRaw("SESSION dave-h");
        assertEquals("SESSION_OK", carol.nextRaw());
        dave.sendRaw("ROOM room-h");
        assertEquals("ROOM_OK ", dave.nextRaw());
        carol.expectClose(1000, "session peer left");
    }

    @Test
    void sessionForwardsEveryFrameBothWays() throws Exception {
        SignalingClient callee = hello("callee");
        SignalingClient caller = hello("caller");
        caller.sendRaw("SESSION nobody");
        assertEquals("ERROR peer 'nobody' not found", caller.nextRaw());
        caller.sendRaw("SESSION caller");
        assertEquals("ERROR peer 'caller' busy", caller.nextRaw());
        caller.sendRaw("SESSION callee");
        assertEquals("SESSION_OK", caller.nextRaw());

        caller.sendRaw(OFFER);
        assertEquals(OFFER, callee.nextRaw());
        // Whatever the callee sends now is the call's, even words the server reads as commands elsewhere; only a
        // call or room of its own is not (aStrangerWhoCallsAPeerCannotReadTheCallItPlaces).
        callee.sendRaw("HELLO not-a-command-here");
        assertEquals("HELLO not-a-command-here", caller.nextRaw());
        callee.sendRaw("ROOM_PEER_MSG x y");
        assertEquals("ROOM_PEER_MSG x y", caller.nextRaw());

        SignalingClient third = hello("third");
        third.sendRaw("SESSION callee");
        assertEquals("ERROR peer 'callee' busy", third.nextRaw());

        // Either side leaving ends the call: the other is closed, as the reference closes it.
        caller.close();
        callee.expectClose(1000, "session peer left");
        // Both uids are free again.
        hello("caller");
        hello("callee");
    }

    @Test
    void roomAnnouncesPeersAndDeliversMessagesByUid() throws Exception {
        SignalingClient a = hello("room-a");
        a.sendRaw("ROOM session");
        assertEquals("ERROR invalid room id 'session'", a.nextRaw());
        a.sendRaw("ROOM");
        assertEquals("ERROR invalid room id ''", a.nextRaw());
        a.sendRaw("ROOM r1");
        assertEquals("ROOM_OK ", a.nextRaw());

        SignalingClient b = hello("room-b");
        b.sendRaw("ROOM r1");
        assertEquals("ROOM_OK room-a", b.nextRaw());
        assertEquals("ROOM_PEER_JOINED room-b", a.nextRaw());
        SignalingClient c = hello("room-c");
        c.sendRaw("ROOM r1");
        String list = c.nextRaw();
        assertTrue(list.equals("ROOM_OK room-a room-b") || list.equals("ROOM_OK room-b room-a"), list);
        assertEquals("ROOM_PEER_JOINED room-c", a.nextRaw());
        assertEquals("ROOM_PEER_JOINED room-c", b.nextRaw());

        b.sendRaw("ROOM_PEER_MSG room-a " + OFFER);
        assertEquals("ROOM_PEER_MSG room-b " + OFFER, a.nextRaw());
        a.sendRaw("ROOM_PEER_LIST");
        String peers = a.nextRaw();
        assertEquals(Set.of("room-b", "room-c"), Set.of(peers.substring("ROOM_PEER_LIST ".length()).split(" ")));

        SignalingClient outside = hello("outside");
        a.sendRaw("ROOM_PEER_MSG outside hi");
        assertEquals("ERROR peer 'outside' is not in the room", a.nextRaw());
        a.sendRaw("ROOM_PEER_MSG ghost hi");
        assertEquals("ERROR peer 'ghost' not found", a.nextRaw());
        a.sendRaw("ROOM_PEER_MSG room-b");
        assertEquals("ERROR ROOM_PEER_MSG needs a peer id and a message", a.nextRaw());
        a.sendRaw("ROOM r2");
        assertEquals("ERROR invalid msg, already in room", a.nextRaw());
        outside.sendRaw("FLY");
        assertEquals("ERROR unknown command 'FLY'", outside.nextRaw());

        c.close();
        assertEquals("ROOM_PEER_LEFT room-c", a.nextRaw());
        assertEquals("ROOM_PEER_LEFT room-c", b.nextRaw());
        b.sendRaw("ROOM_PEER_MSG room-a sentinel");
        assertEquals("ROOM_PEER_MSG room-b sentinel", a.nextRaw(), "nothing else came before it");
        b.disconnect(); // no close frame; GStreamer's protocol has no way to resume, so its seat is not held
        assertEquals("ROOM_PEER_LEFT room-b", a.nextRaw());
    }

    @Test
    void aRoomClosesWithItsLastMember() throws Exception {
        SignalingClient a = hello("solo");
        a.sendRaw("ROOM lonely");
        assertEquals("ROOM_OK ", a.nextRaw());
        assertTrue(server.server.lobbies().lobbyExists("gstreamer:lonely"));
        a.close();
        Eventually.await(() -> !server.server.lobbies().lobbyExists("gstreamer:lonely"), Duration.ofSeconds(5),
                () -> "the empty room is removed");
    }

    @Test
    void theTlsListenerServesEveryPath() throws Exception {
        SignalingClient godot4 = server.connect("/");
        godot4.create(true);
        SignalingClient godot3 = server.connect("/godot3");
        godot3.sendRaw("J: \n");
        assertEquals("I: 1\n", godot3.nextRaw());
        SignalingClient rooms = server.connect("/rooms");
        rooms.sendRaw("{\"command\":\"###!RP\",\"data\":\"tls\"}");
        assertTrue(rooms.nextRaw().startsWith("{\"command\":\"###!RPK\""));
        assertTrue(server.uri("/").toString().startsWith("wss://"), "these went over TLS");
    }

    @Test
    void healthAnswersOverPlainHttpAndTls() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(tls.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        for (String url : new String[] {"https://127.0.0.1:" + server.server.tlsPort() + "/health",
                "http://127.0.0.1:" + server.port() + "/health"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), url);
            assertEquals("OK\n", response.body(), url);
        }
    }
}

package io.meshgate.relay;

import io.meshgate.testkit.RelayClient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot3.WebSocketFrame;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Godot 3.2's WebSocket multiplayer framing on /relay/godot3/, byte by byte over real sockets, beside Godot 4. */
class Godot3RelayTest {

    private static TestServer server;
    private final List<RelayClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RelayClient::close);
    }

    private RelayClient connect(String path) throws Exception {
        RelayClient client = RelayClient.connect(server.jetty, server.port(), path);
        clients.add(client);
        return client;
    }

    /** Connects on /relay/godot3/ and checks the greeting: SYS_ID with the client's id, then SYS_ADD of peer 1. */
    private RelayClient godot3(String lobby) throws Exception {
        RelayClient client = connect("godot3/" + lobby);
        byte[] id = client.next();
        assertEquals(13, id.length);
        assertArrayEquals(WebSocketFrame.system(WebSocketFrame.SYS_ID, client.id = le(id, 9)), id);
        assertTrue(client.id >= 2);
        assertArrayEquals(WebSocketFrame.system(WebSocketFrame.SYS_ADD, 1), client.next());
        return client;
    }

    private static int le(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    /** The next frame matching, skipping others (snapshots keep coming). */
    private static byte[] await(RelayClient client, String what, Predicate<byte[]> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            byte[] frame = client.next();
            if (match.test(frame)) {
                return frame;
            }
        }
        fail("no " + what);
        return null;
    }

    /** The Godot 3 Variant in a RAW frame from {@code from}, or null. */
    private static Object message(byte[] frame, int from) {
        if (frame[0] != WebSocketFrame.PAYLOAD || le(frame, 1) != from || frame[9] != WebSocketFrame.CMD_RAW) {
            return null;
        }
        try {
            return VariantCodec.GODOT3.decode(java.util.Arrays.copyOfRange(frame, 10, frame.length));
        } catch (Exception e) {
            return null;
        }
    }

    private static Predicate<byte[]> typed(String type) {
        return f -> message(f, 1) instanceof Map<?, ?> m && type.equals(m.get("type"));
    }

    private static byte[] input(float x, long seq) {
        return VariantCodec.GODOT3.encode(ArenaGame.input(x, 0, seq));
    }

    @Test
    void aGodot3RelayPlayerJoinsAServerHostedGodot3LobbyWithoutAnOffer() throws Exception {
        // A Godot 3 WebRTC client creates the lobby; the server, peer 1, offers to it at once (Godot 3's rule).
        SignalingClient webrtc = SignalingClient.connect(server.jetty,
                URI.create("ws://127.0.0.1:" + server.port() + "/godot3?hosting=server"));
        try {
            webrtc.sendRaw("J: \n");
            assertTrue(webrtc.nextRaw().startsWith("I: "));
            assertEquals("N: 1\n", webrtc.nextRaw());
            String joined = webrtc.nextRaw();
            String lobby = joined.substring(3, joined.length() - 1);
            assertTrue(webrtc.nextRaw().startsWith("O: 1\nv=0"), "the server's offer");
            int live = server.server.rtc().stats().liveConnections();

            // A Godot 3 build without WebRTC plays the same lobby through the relay, in Godot 3 Variants.
            RelayClient relay = godot3(lobby);
            Map<?, ?> welcome = (Map<?, ?>) message(await(relay, "welcome", typed("welcome")), 1);
            assertEquals((long) relay.id, welcome.get("id"));
            assertEquals(live, server.server.rtc().stats().liveConnections(),
                    "the host made no WebRTC connection for the member that plays through the relay");
        } finally {
            webrtc.close();
        }
    }

    @Test
    void godot3AndGodot4RelayPlayersShareOneGameInTheirOwnVariants() throws Exception {
        RelayClient g3 = godot3("*");
        Map<?, ?> welcome = (Map<?, ?>) message(await(g3, "welcome", typed("welcome")), 1);
        assertEquals((long) g3.id, welcome.get("id"), "the game's Godot 4 message arrived as a Godot 3 Variant");
        RelayClient g4 = connect("*"); // quick play: the same lobby
        int id4 = g4.readId();
        byte[] added = await(g3, "SYS_ADD of the Godot 4 player", f -> f[0] == WebSocketFrame.SYS_ADD && le(f, 9) == id4);
        assertEquals(13, added.length);
        g4.await("ADD_PEER of the Godot 3 player",
                p -> p.equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, g3.id, new byte[0])));

        // Godot 3 input reaches the Godot 4 game: the snapshot shows its sequence number
        g3.send(WebSocketFrame.raw(g3.id, 1, input(1, 41)));
        g4.await("a snapshot with the Godot 3 player's input applied", p -> RelayClient.decode(p) instanceof Map<?, ?> m
                && "snapshot".equals(m.get("type")) && ((List<?>) m.get("players")).stream()
                .anyMatch(row -> ((List<?>) row).get(0).equals((long) g3.id) && ((List<?>) row).get(3).equals(41L)));

        // client to client, both ways, translated between the engines' Variant tables
        g3.send(WebSocketFrame.raw(g3.id, id4, VariantCodec.GODOT3.encode(List.of("hi", 4L))));
        g4.await("the Godot 3 player's packet as a Godot 4 relay", p -> p.kind() == ScenePacket.Kind.FAN_OUT
                && p.peer() == g3.id && java.util.Arrays.equals(p.payload(),
                ScenePacket.raw(VariantCodec.GODOT4.encode(List.of("hi", 4L)))));
        g4.send(ScenePacket.fanOut(g3.id, ScenePacket.raw(VariantCodec.GODOT4.encode(new Vector2(3, 4)))));
        await(g3, "the Godot 4 player's packet", f -> new Vector2(3, 4).equals(message(f, id4)));

        // a lie about `from` is dropped; the same packet with the truth after it arrives, so order proves the drop
        g3.send(WebSocketFrame.raw(id4 + 1000, id4, VariantCodec.GODOT3.encode("forged")));
        g3.send(WebSocketFrame.raw(1, id4, VariantCodec.GODOT3.encode("forged")));
        g3.send(WebSocketFrame.raw(g3.id, id4, VariantCodec.GODOT3.encode("genuine")));
        ScenePacket next = g4.await("the next relayed packet", p -> p.kind() == ScenePacket.Kind.FAN_OUT);
        assertArrayEquals(ScenePacket.raw(VariantCodec.GODOT4.encode("genuine")), next.payload());

        g3.close();
        assertEquals((long) g3.id, g4.awaitMessage("leave").get("id"));
        g4.await("DEL_PEER of the Godot 3 player",
                p -> p.equals(new ScenePacket(ScenePacket.Kind.DEL_PEER, g3.id, new byte[0])));
    }

    @Test
    void framesAGodot3ServerWouldNotTakeCloseWithTheReason() throws Exception {
        RelayClient rpc = godot3("*");
        rpc.send(new WebSocketFrame(WebSocketFrame.PAYLOAD, rpc.id, 1, new byte[] {0, 1, 2}).encode()); // command 0: an RPC
        assertEquals(new CloseStatus(4000, "Only send_bytes data is relayed, not Godot 3 RPCs"), rpc.awaitClose());
        RelayClient shortFrame = godot3("*");
        shortFrame.send(new byte[] {0, 2, 0, 0});
        assertEquals(new CloseStatus(4000, "Malformed frame: frame of 4 bytes, shorter than the 9-byte header"),
                shortFrame.awaitClose());
        RelayClient sys = godot3("*");
        sys.send(WebSocketFrame.system(WebSocketFrame.SYS_DEL, 1));
        assertEquals(new CloseStatus(4000, "Malformed frame: frame type 2, which only the server sends"),
                sys.awaitClose());
        RelayClient bystander = godot3("*");
        await(bystander, "a snapshot after the others were closed", typed("snapshot"));
    }
}

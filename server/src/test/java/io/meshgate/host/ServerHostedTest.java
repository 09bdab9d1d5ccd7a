package io.meshgate.host;

import static io.meshgate.host.RtcClient.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.game.arena.ArenaGame;
import io.meshgate.testkit.ArenaGames;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot3.MultiplayerPacket;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server as peer 1 with real WebRTC: aiortc clients (Godot's channel layout and offer rule) against the real
 * server, inside the private network namespace tools/netns-run makes.
 */
@Tag("netns")
class ServerHostedTest {

    /** JOIN ids of the signaling extension: 2 = mesh, 3 = client/server, both server-hosted. */
    private static final int SERVER_MESH = 2;
    private static final int SERVER_CLIENT_SERVER = 3;

    private static final ArenaGames games = new ArenaGames();
    private static TestServer server;
    private final List<RtcClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // A short resume window: a client that drops holds its seat that long before the others are told.
        server = new TestServer(games, "--resume-window", "1000", "--rtc-reveal-cidrs", "10.213.0.0/24",
                "--rtc-connect-timeout", "3000", "--no-lobby-timeout", "10000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (RtcClient client : clients) {
            client.close();
        }
    }

    private RtcClient client(String lobby, int joinId, String... extra) throws Exception {
        return client(RtcClient.Kind.AIORTC, lobby, joinId, extra);
    }

    private RtcClient client(RtcClient.Kind kind, String lobby, int joinId, String... extra) throws Exception {
        RtcClient client = RtcClient.start(kind, server.port(), lobby, joinId, extra);
        clients.add(client);
        return client;
    }

    private static byte[] input(double x, double y, long seq) {
        return ScenePacket.raw(VariantCodec.GODOT4.encode(ArenaGame.input((float) x, (float) y, seq)));
    }

    private static ArenaGame gameWith(int playerId) {
        return games.withPlayer(playerId);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        Eventually.await(what, condition);
    }

    private static List<Map<?, ?>> reliableMessages(RtcClient client) {
        List<Map<?, ?>> messages = new ArrayList<>();
        for (JsonNode e : client.events(event("packet"))) {
            if ("reliable".equals(e.get("channel").asText()) && RtcClient.variant(e) instanceof Map<?, ?> m) {
                messages.add(m);
            }
        }
        return messages;
    }

    @Test
    void threeClientsPlayTheArenaWithTheServerAsPeerOne() throws Exception {
        RtcClient a = client("", SERVER_CLIENT_SERVER);
        String lobby = a.lobby();
        RtcClient b = client(lobby, 0);
        RtcClient c = client(lobby, 0);
        List<RtcClient> all = List.of(a, b, c);
        for (RtcClient client : all) {
            assertTrue(client.id() >= 2, "every client, the creator too, is a client of peer 1");
            client.await("PEER_CONNECT(1)", e -> event("peer").test(e) && e.get("id").asInt() == 1);
            client.awaitOpen(1);
        }
        int[] ids = {a.id(), b.id(), c.id()};

        for (RtcClient client : all) {
            // welcome on the reliable channel, with the client's own id
            client.await("welcome", e -> event("packet").test(e) && RtcClient.variant(e) instanceof Map<?, ?> m
                    && "welcome".equals(m.get("type")) && m.get("id").equals((long) ids[all.indexOf(client)]));
            // Godot's server relay: ADD_PEER for each other client, from peer 1, on the reliable channel
            for (int other : ids) {
                if (other != ids[all.indexOf(client)]) {
                    client.await("ADD_PEER " + other, e -> event("packet").test(e)
                            && "reliable".equals(e.get("channel").asText())
                            && RtcClient.scene(e).equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, other, new byte[0])));
                }
            }
        }

        ArenaGame game = gameWith(ids[0]);
        assertNotNull(game);
        eventually("all three in the game", () -> game.view().keySet().containsAll(List.of(ids[0], ids[1], ids[2])));
        Map<Integer, ArenaGame.View> before = game.view();
        // a goes right, b goes down, c stays
        a.send(1, "reliable", input(1, 0, 1));
        b.send(1, "ordered", input(0, 1, 1));
        // Spawns are random: a player born within 20 px of the wall it is steered at can only reach that wall.
        float rightWall = ArenaGame.WIDTH - ArenaGame.PLAYER_RADIUS;
        float bottomWall = ArenaGame.HEIGHT - ArenaGame.PLAYER_RADIUS;
        eventually("a moved right and b down, as far as the speed allows", () -> {
            ArenaGame.View av = game.view().get(ids[0]);
            ArenaGame.View bv = game.view().get(ids[1]);
            return av.lastSeq() == 1 && bv.lastSeq() == 1
                    && (av.x() > before.get(ids[0]).x() + 20 || av.x() >= rightWall)
                    && (bv.y() > before.get(ids[1]).y() + 20 || bv.y() >= bottomWall);
        });
        ArenaGame.View cv = game.view().get(ids[2]);
        assertEquals(before.get(ids[2]).x(), cv.x(), 0.001, "c sent nothing and did not move");
        assertEquals(before.get(ids[2]).y(), cv.y(), 0.001);

        for (RtcClient client : all) {
            // snapshots on the unreliable channel, naming all three players
            JsonNode snapshot = client.await("a snapshot of all three", e -> event("packet").test(e)
                    && "unreliable".equals(e.get("channel").asText())
                    && RtcClient.variant(e) instanceof Map<?, ?> m && "snapshot".equals(m.get("type"))
                    && ((List<?>) m.get("players")).size() == 3);
            Map<?, ?> decoded = (Map<?, ?>) RtcClient.variant(snapshot);
            assertTrue(decoded.get("pickups") instanceof Vector2[] p && p.length == ArenaGame.PICKUPS);
        }
    }

    /** The data of a Godot 3 RAW packet (command 4) an aiortc client received, decoded with Godot 3's Variant table. */
    private static Object godot3Variant(JsonNode packetEvent) {
        byte[] packet = HexFormat.of().parseHex(packetEvent.get("hex").asText());
        assertEquals(MultiplayerPacket.RAW, packet[0], "a Godot 3 client gets only RAW packets: " + packetEvent);
        try {
            return VariantCodec.GODOT3.decode(Arrays.copyOfRange(packet, 1, packet.length));
        } catch (Exception e) {
            throw new AssertionError("RAW data is not a Godot 3 Variant: " + packetEvent, e);
        }
    }

    private static byte[] godot3Input(double x, double y, long seq) {
        return MultiplayerPacket.raw(VariantCodec.GODOT3.encode(ArenaGame.input((float) x, (float) y, seq)));
    }

    @Test
    void godot3ClientsAnswerTheServersOfferAndPlayInGodot3Encoding() throws Exception {
        RtcClient a = RtcClient.startGodot3(server.port(), "");
        clients.add(a);
        String lobby = a.lobby();
        RtcClient b = RtcClient.startGodot3(server.port(), lobby);
        clients.add(b);
        int[] ids = {a.id(), b.id()};
        for (RtcClient client : List.of(a, b)) {
            assertTrue(client.id() >= 2, "the server is peer 1, the creator a client");
            client.await("N: 1", e -> event("peer").test(e) && e.get("id").asInt() == 1);
            // Godot 3's rule has the lower id offer and the client never offers to 1: these channels exist only
            // because the server made the offer.
            client.awaitOpen(1);
            client.await("welcome in Godot 3 encoding", e -> event("packet").test(e)
                    && godot3Variant(e) instanceof Map<?, ?> m && "welcome".equals(m.get("type"))
                    && m.get("id").equals((long) ids[List.of(a, b).indexOf(client)]));
        }
        assertTrue(a.events(e -> event("peer").test(e) && e.get("id").asInt() != 1).isEmpty(),
                "clients of a server-hosted Godot 3 lobby are announced only the server");

        ArenaGame game = gameWith(ids[0]);
        assertNotNull(game);
        eventually("both in the game", () -> game.view().keySet().containsAll(List.of(ids[0], ids[1])));
        Map<Integer, ArenaGame.View> before = game.view();
        a.send(1, "reliable", godot3Input(1, 0, 1));
        float rightWall = ArenaGame.WIDTH - ArenaGame.PLAYER_RADIUS;
        eventually("a's Godot 3 input moved it right", () -> {
            ArenaGame.View av = game.view().get(ids[0]);
            return av.lastSeq() == 1 && (av.x() > before.get(ids[0]).x() + 20 || av.x() >= rightWall);
        });
        for (RtcClient client : List.of(a, b)) {
            JsonNode snapshot = client.await("a Godot 3 snapshot of both", e -> event("packet").test(e)
                    && "unreliable".equals(e.get("channel").asText())
                    && godot3Variant(e) instanceof Map<?, ?> m && "snapshot".equals(m.get("type"))
                    && ((List<?>) m.get("players")).size() == 2);
            Map<?, ?> decoded = (Map<?, ?>) godot3Variant(snapshot);
            assertTrue(decoded.get("pickups") instanceof Vector2[] p && p.length == ArenaGame.PICKUPS);
        }
        // Nothing but RAW reached them (no SceneMultiplayer ADD_PEER, which a Godot 3 client cannot read).
        for (JsonNode packet : b.events(event("packet"))) {
            godot3Variant(packet);
        }
    }

    @Test
    void chromiumAndAiortcClientsPlayOneGame() throws Exception {
        RtcClient browser = client(RtcClient.Kind.CHROMIUM, "", SERVER_CLIENT_SERVER);
        String lobby = browser.lobby();
        RtcClient b = client(lobby, 0);
        RtcClient c = client(lobby, 0);
        List<RtcClient> all = List.of(browser, b, c);
        for (RtcClient client : all) {
            client.awaitOpen(1);
        }
        int browserId = browser.id();
        ArenaGame game = gameWith(browserId);
        assertNotNull(game);
        eventually("all three in the game", () -> game.view().size() == 3);
        float startX = game.view().get(browserId).x();
        browser.send(1, "unreliable", input(-1, 0, 1)); // Chromium steers left on the unreliable channel
        eventually("the browser's player moved left", () -> game.view().get(browserId).x() < startX - 20
                || game.view().get(browserId).x() <= ArenaGame.PLAYER_RADIUS + 0.01f);
        for (RtcClient client : all) {
            client.await("a snapshot of all three", e -> event("packet").test(e)
                    && "unreliable".equals(e.get("channel").asText())
                    && RtcClient.variant(e) instanceof Map<?, ?> m && "snapshot".equals(m.get("type"))
                    && ((List<?>) m.get("players")).size() == 3);
        }
        // the aiortc clients heard of the browser through peer 1's ADD_PEER
        for (RtcClient client : List.of(b, c)) {
            client.await("ADD_PEER of the browser", e -> event("packet").test(e)
                    && RtcClient.scene(e).equals(new ScenePacket(ScenePacket.Kind.ADD_PEER, browserId, new byte[0])));
        }
    }

    @Test
    void meshClientsConnectToEachOtherAndToTheServer() throws Exception {
        RtcClient a = client("", SERVER_MESH);
        String lobby = a.lobby();
        RtcClient b = client(lobby, 0);
        RtcClient c = client(lobby, 0);
        List<RtcClient> all = List.of(a, b, c);
        for (RtcClient client : all) {
            assertTrue(client.await("mesh flag", event("id")).get("mesh").asBoolean());
            client.awaitOpen(1);
        }
        for (RtcClient client : all) {
            for (RtcClient other : all) {
                if (other != client) {
                    client.awaitOpen(other.id());
                }
            }
        }
        // no server relay in a mesh: peers hear of each other through signaling, not ADD_PEER
        for (RtcClient client : all) {
            assertTrue(client.events(e -> event("packet").test(e) && RtcClient.scene(e).kind() == ScenePacket.Kind.ADD_PEER).isEmpty());
        }
    }

    @Test
    void relayBetweenClientsCarriesTheSourceAndKeepsTheChannel() throws Exception {
        RtcClient a = client("", SERVER_CLIENT_SERVER);
        String lobby = a.lobby();
        RtcClient b = client(lobby, 0);
        a.awaitOpen(1);
        b.awaitOpen(1);
        byte[] inner = ScenePacket.raw(new byte[] {42, 43});
        // what a's SceneMultiplayer sends for multiplayer.send_bytes(data, b_id, TRANSFER_MODE_UNRELIABLE_ORDERED)
        byte[] request = ScenePacket.fanOut(b.id(), inner);
        a.send(1, "ordered", request);
        JsonNode delivered = b.await("relayed packet", e -> event("packet").test(e)
                && RtcClient.scene(e).kind() == ScenePacket.Kind.FAN_OUT);
        assertEquals("ordered", delivered.get("channel").asText());
        assertEquals(new ScenePacket(ScenePacket.Kind.FAN_OUT, a.id(), inner), RtcClient.scene(delivered));
    }

    @Test
    void serverCandidatesAreFilteredToTheConfiguredRanges() throws Exception {
        RtcClient a = client("", SERVER_CLIENT_SERVER);
        a.awaitOpen(1);
        List<JsonNode> candidates = a.events(e -> event("candidate").test(e) && e.get("peer").asInt() == 1);
        assertFalse(candidates.isEmpty(), "the server trickles candidates");
        for (JsonNode candidate : candidates) {
            String[] parts = candidate.get("data").asText().split("\n");
            assertEquals(4, parts.length, "Godot's \\n<mid>\\n<index>\\n<sdp> form: " + candidate);
            assertTrue(parts[2].matches("\\d+"), candidate.toString());
            String address = parts[3].split(" ")[4];
            assertTrue(address.startsWith("10.213.0."), "only 10.213.0.0/24 is revealed: " + candidate);
        }
    }

    @Test
    void clientThatNeverCompletesIceIsRemovedAndOthersPlayOn() throws Exception {
        RtcClient good = client("", SERVER_CLIENT_SERVER);
        String lobby = good.lobby();
        good.awaitOpen(1);
        RtcClient stuck = client(lobby, 0, "--ignore-answers");
        JsonNode closed = stuck.await("close", event("closed"));
        assertEquals(4000, closed.get("code").asInt());
        assertEquals("WebRTC connection to the server timed out", closed.get("reason").asText());
        int before = good.events(event("packet")).size();
        good.awaitCount("more snapshots after the removal", before + 10, event("packet"));
        assertTrue(gameWith(good.id()) != null, "the good client is still in the game");
    }

    @Test
    void clientDroppingMidGameLeavesTheGameAfterTheResumeWindowAndTheOthersAreTold() throws Exception {
        RtcClient a = client("", SERVER_CLIENT_SERVER);
        String lobby = a.lobby();
        RtcClient b = client(lobby, 0);
        a.awaitOpen(1);
        b.awaitOpen(1);
        int bId = b.id();
        ArenaGame game = gameWith(a.id());
        eventually("both in the game", () -> game.view().containsKey(bId));
        b.drop();
        a.await("leave event", e -> event("packet").test(e) && RtcClient.variant(e) instanceof Map<?, ?> m
                && "leave".equals(m.get("type")) && m.get("id").equals((long) bId));
        a.await("DEL_PEER", e -> event("packet").test(e)
                && RtcClient.scene(e).equals(new ScenePacket(ScenePacket.Kind.DEL_PEER, bId, new byte[0])));
        eventually("b gone from the game", () -> !game.view().containsKey(bId));
        int before = a.events(event("packet")).size();
        a.awaitCount("snapshots go on", before + 10, event("packet"));
    }

    @Test
    void malformedPacketsAreIgnoredUntilTheyAreAFlood() throws Exception {
        RtcClient a = client("", SERVER_CLIENT_SERVER);
        String lobby = a.lobby();
        RtcClient vandal = client(lobby, 0);
        a.awaitOpen(1);
        vandal.awaitOpen(1);
        int vandalId = vandal.id();
        ArenaGame game = gameWith(a.id());
        eventually("both in the game", () -> game.view().containsKey(vandalId));
        // an RPC (ignored), garbage in a RAW packet (not a Variant), a truncated SYS packet, ADD_PEER from a client
        vandal.send(1, "reliable", new byte[] {0x00, 0x01, 0x02});
        vandal.send(1, "reliable", new byte[] {0x03, (byte) 0xFF, (byte) 0xFF});
        vandal.send(1, "reliable", new byte[] {0x07, 0x03, 0x01});
        vandal.send(1, "reliable", ScenePacket.addPeer(1234));
        vandal.send(1, "reliable", input(1, 0, 1));
        eventually("a valid input after garbage still counts", () -> game.view().get(vandalId).lastSeq() == 1);
        for (int i = 0; i < Router.MALFORMED_LIMIT; i++) {
            vandal.send(1, "unreliable", new byte[] {0x07, 0x09});
        }
        JsonNode closed = vandal.await("close", event("closed"));
        assertEquals("Too many malformed packets", closed.get("reason").asText());
        int aId = a.id();
        a.send(1, "reliable", input(0, 1, 7));
        eventually("the game goes on for the others", () -> game.view().get(aId).lastSeq() == 7);
    }
}

package io.meshgate.wire.godot4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.wire.IceServer;
import io.meshgate.wire.MalformedMessageException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalCodecTest {

    @Test
    void decodesWhatGodot4Sends() throws Exception {
        // Godot 4's JSON.stringify sorts keys by default, so its client writes data, id, type in that order.
        assertEquals(new SignalMessage(SignalMessage.JOIN, 0, ""), SignalCodec.decode("{\"data\":\"\",\"id\":0,\"type\":0}"));
        assertEquals(new SignalMessage(SignalMessage.CANDIDATE, 1, "\n0\n0\ncandidate:1 1 UDP 2122 10.0.0.1 5000 typ host"),
                SignalCodec.decode("{\"data\":\"\\n0\\n0\\ncandidate:1 1 UDP 2122 10.0.0.1 5000 typ host\",\"id\":1,\"type\":6}"));
    }

    @Test
    void readsTheGameOfACreatingJoin() throws Exception {
        assertEquals(new SignalMessage(SignalMessage.JOIN, 3, "", new Join("chess", "", Map.of(), Map.of())),
                SignalCodec.decode("{\"game\":\"chess\",\"data\":\"\",\"id\":3,\"type\":0}"));
        assertEquals(null, SignalCodec.decode("{\"type\":0,\"id\":0,\"data\":\"\"}").game(), "absent: null");
        for (String bad : new String[] {"{\"type\":0,\"id\":0,\"game\":7}", "{\"type\":0,\"id\":0,\"game\":\"\"}",
                "{\"type\":0,\"id\":0,\"game\":\"" + "g".repeat(65) + "\"}",
                "{\"type\":0,\"id\":0,\"game\":\"a\",\"game\":\"b\"}"}) {
            assertThrows(MalformedMessageException.class, () -> SignalCodec.decode(bad), bad);
        }
    }

    @Test
    void readsWhatAPlayerSaysOfItselfAndTheGamesOptions() throws Exception {
        SignalMessage join = SignalCodec.decode("{\"type\":0,\"id\":3,\"data\":\"\",\"name\":\"Ada 🎮\","
                + "\"meta\":{\"team\":\"red\"},\"options\":{\"map\":\"dunes\",\"rounds\":3,\"ranked\":true,"
                + "\"speed\":1.5}}");
        assertEquals("Ada 🎮", join.join().name());
        assertEquals(Map.of("team", "red"), join.join().meta());
        assertEquals(Map.of("map", "dunes", "rounds", 3L, "ranked", true, "speed", 1.5), join.join().options());
        assertEquals(Join.NONE, SignalCodec.decode("{\"type\":0,\"id\":3,\"data\":\"\"}").join());
        StringBuilder many = new StringBuilder("{\"type\":0,\"id\":0,\"meta\":{");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        for (String bad : new String[] {"{\"type\":0,\"id\":0,\"name\":\"" + "n".repeat(33) + "\"}",
                "{\"type\":0,\"id\":0,\"name\":\"a\\u0007b\"}", "{\"type\":0,\"id\":0,\"meta\":[]}",
                "{\"type\":0,\"id\":0,\"meta\":{\"k\":1}}", "{\"type\":0,\"id\":0,\"meta\":{\"\":\"v\"}}",
                "{\"type\":0,\"id\":0,\"options\":{\"k\":{}}}", "{\"type\":0,\"id\":0,\"options\":{\"k\":null}}",
                "{\"type\":0,\"id\":0,\"options\":{\"k\":123456789012345678901234567890}}",
                "{\"type\":0,\"id\":0,\"options\":{\"k\":\"" + "x".repeat(257) + "\"}}", many + "}}"}) {
            assertThrows(MalformedMessageException.class, () -> SignalCodec.decode(bad), bad);
        }
    }

    @Test
    void readsVisibilityCodesAndListQueries() throws Exception {
        assertEquals(Join.Visibility.PUBLIC,
                SignalCodec.decode("{\"type\":0,\"id\":1,\"data\":\"\",\"public\":true}").join().visibility());
        assertEquals(Join.Visibility.PRIVATE,
                SignalCodec.decode("{\"type\":0,\"id\":1,\"data\":\"\",\"private\":true}").join().visibility());
        assertEquals("K7M2XQ",
                SignalCodec.decode("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"K7M2XQ\"}").join().code());
        SignalMessage list = SignalCodec.decode("{\"type\":100,\"id\":0,\"data\":\"\",\"game\":\"arena\","
                + "\"label\":{\"mode\":\"ffa\"},\"free\":true,\"after\":41,\"limit\":5}");
        assertEquals(new Query("arena", Map.of("mode", "ffa"), true, 41, 5), list.query());
        assertEquals(new Query(null, Map.of(), false, 0, Query.DEFAULT_LIMIT),
                SignalCodec.decode("{\"type\":100,\"id\":0}").query());
        // a cursor is a number a JSON reader holds exactly (Godot's reads every number as a double)
        assertEquals(Query.MAX_AFTER, SignalCodec.decode("{\"type\":100,\"id\":0,\"after\":9007199254740991}")
                .query().after());
        assertEquals(1_800_000_000_000_000L, SignalCodec.decode("{\"type\":100,\"id\":0,\"after\":1.8e15}")
                .query().after());
        for (String bad : new String[] {"{\"type\":0,\"id\":1,\"public\":true,\"private\":true}",
                "{\"type\":0,\"id\":1,\"public\":1}", "{\"type\":0,\"id\":0,\"code\":\"\"}",
                "{\"type\":100,\"id\":0,\"limit\":51}", "{\"type\":100,\"id\":0,\"limit\":0}",
                "{\"type\":100,\"id\":0,\"after\":9007199254740992}", "{\"type\":100,\"id\":0,\"after\":-1}",
                "{\"type\":100,\"id\":0,\"label\":{\"k\":2}}", "{\"type\":100,\"id\":0,\"free\":\"yes\"}"}) {
            assertThrows(MalformedMessageException.class, () -> SignalCodec.decode(bad), bad);
        }
    }

    @Test
    void readsTicketsAndWritesTheirStatus() throws Exception {
        SignalMessage ticket = SignalCodec.decode("{\"type\":102,\"id\":7,\"data\":\"\",\"game\":\"arena\","
                + "\"properties\":{\"region\":\"eu\"},\"skill\":1520.5,\"min\":2,\"max\":4,\"count_multiple\":2}");
        assertEquals(new TicketRequest("arena", Map.of("region", "eu"), 1520.5, 2, 4, 2, null, 1, false, false),
                ticket.ticket());
        assertEquals(new TicketRequest(null, Map.of(), 0, 2, 4, 1, "k".repeat(20), 3, false, false), SignalCodec.decode(
                "{\"type\":102,\"id\":1,\"max\":4,\"party\":\"" + "k".repeat(20) + "\",\"party_size\":3}").ticket());
        JsonNode gathering = new ObjectMapper().readTree(SignalCodec.encodeTicketGathering(1, 2, 3));
        assertEquals("gathering", gathering.get("state").asText());
        assertEquals(2, gathering.get("party_members").asInt());
        assertEquals(7, ticket.id());
        assertEquals(new TicketRequest(null, Map.of(), 0, 2, 2, 1, null, 1, false, false),
                SignalCodec.decode("{\"type\":102,\"id\":1}").ticket(), "defaults: a duel of the server's default game");
        assertEquals(new TicketRequest("kart", Map.of(), 0, 2, 2, 1, null, 1, true, true), SignalCodec.decode(
                "{\"type\":102,\"id\":1,\"game\":\"kart\",\"hosting\":\"peer\",\"mesh\":true}").ticket());
        assertThrows(MalformedMessageException.class, () -> SignalCodec.decode("{\"type\":102,\"id\":1,\"hosting\":\"p2p\"}"));
        assertThrows(MalformedMessageException.class, () -> SignalCodec.decode("{\"type\":102,\"id\":1,\"skill\":\"x\"}"));
        ObjectMapper json = new ObjectMapper();
        JsonNode waiting = json.readTree(SignalCodec.encodeTicketStatus(7, "waiting", 3, 8500, null));
        assertEquals(103, waiting.get("type").asInt());
        assertEquals(3, waiting.get("players_in_reach").asInt());
        assertEquals(8500, waiting.get("settles_in_ms").asLong());
        JsonNode matched = json.readTree(SignalCodec.encodeTicketMatched(7, "abc", "s3at", "peer"));
        assertEquals("matched", matched.get("state").asText());
        assertEquals("peer", matched.get("hosting").asText());
        assertEquals("abc", matched.get("lobby").asText());
        assertEquals("s3at", matched.get("seat").asText());
        assertEquals("s3at", SignalCodec.decode("{\"type\":0,\"id\":0,\"data\":\"abc\",\"seat\":\"s3at\"}").join()
                .seat());
        assertTrue(!matched.has("players_in_reach"));
        JsonNode refused = json.readTree(SignalCodec.encodeTicketStatus(7, "refused", 0, 0, "min \"2\""));
        assertEquals("min \"2\"", refused.get("reason").asText());
    }

    @Test
    void idCarriesIceServersOnlyWhenThereAreSome() throws Exception {
        assertEquals(SignalCodec.encode(SignalMessage.ID, 7, "true"), SignalCodec.encodeId(7, true, List.of()),
                "without ICE servers, exactly the reference's ID");
        JsonNode id = new ObjectMapper().readTree(SignalCodec.encodeId(7, false, List.of(
                new IceServer(List.of("stun:a:3478", "turn:a:3478?transport=udp"), "1000600:peer7", "x/y+z=\""),
                new IceServer(List.of("stun:b:3478"), null, null))));
        assertEquals(SignalMessage.ID, id.get("type").asInt());
        assertEquals(7, id.get("id").asInt());
        assertEquals("", id.get("data").asText());
        JsonNode turn = id.get("ice").get(0);
        assertEquals("turn:a:3478?transport=udp", turn.get("urls").get(1).asText());
        assertEquals("1000600:peer7", turn.get("username").asText());
        assertEquals("x/y+z=\"", turn.get("credential").asText());
        JsonNode stun = id.get("ice").get(1);
        assertEquals("stun:b:3478", stun.get("urls").get(0).asText());
        assertTrue(!stun.has("username") && !stun.has("credential"), "STUN needs no login: " + stun);
    }

    @Test
    void writesPagesOfLobbiesAndJoinCodesAsValidJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String page = SignalCodec.encodeLobbies(List.of(
                new Listing("abc", "arena", Map.of("mode", "ffa \"quoted\"", "map", "dunes"), "server", false, 2, 4),
                new Listing("def", "", Map.of(), "peer", true, 1, 8)), 17);
        JsonNode tree = json.readTree(page);
        assertEquals(SignalMessage.LOBBIES, tree.get("type").asInt());
        assertEquals("", tree.get("data").asText());
        assertEquals(17, tree.get("next").asLong());
        assertEquals("ffa \"quoted\"", tree.get("lobbies").get(0).get("label").get("mode").asText());
        assertEquals(4, tree.get("lobbies").get(0).get("capacity").asInt());
        assertTrue(tree.get("lobbies").get(1).get("mesh").asBoolean());
        JsonNode joined = json.readTree(SignalCodec.encodeJoined("abc", "K7M2XQ", false, null));
        assertEquals("abc", joined.get("data").asText());
        assertEquals("K7M2XQ", joined.get("code").asText());
        assertTrue(!joined.has("hosting"));
        JsonNode hosted = json.readTree(SignalCodec.encodeJoined("abc", "K7M2XQ", true, null));
        assertEquals("K7M2XQ", hosted.get("code").asText());
        assertEquals("server", hosted.get("hosting").asText());
        assertEquals("server", json.readTree(SignalCodec.encodeJoined("abc", null, true, null)).get("hosting")
                .asText());
        assertEquals(SignalCodec.encode(SignalMessage.JOIN, 0, "abc"),
                SignalCodec.encodeJoined("abc", null, false, null),
                "peer-hosted without a code, exactly the reference's JOIN");
        assertEquals("r3sume", json.readTree(SignalCodec.encodeJoined("abc", null, false, "r3sume")).get("resume")
                .asText());
        assertEquals("t0ken", SignalCodec.decode("{\"type\":0,\"id\":0,\"data\":\"abc\",\"resume\":\"t0ken\"}")
                .join().resume());
    }

    @Test
    void encodesLikeTheReferenceServer() {
        assertEquals("{\"type\":1,\"id\":1,\"data\":\"true\"}", SignalCodec.encode(SignalMessage.ID, 1, "true"));
        assertEquals("{\"type\":2,\"id\":77,\"data\":\"\"}", SignalCodec.encode(new SignalMessage(SignalMessage.PEER_CONNECT, 77, "")));
    }

    @Test
    void escapesData() throws Exception {
        String data = "v=0\r\no=- 1 2 IN IP4 \"x\" \\ \u0001 é 🎮";
        String encoded = SignalCodec.encode(SignalMessage.OFFER, 5, data);
        assertEquals("{\"type\":4,\"id\":5,\"data\":\"v=0\\r\\no=- 1 2 IN IP4 \\\"x\\\" \\\\ \\u0001 é 🎮\"}", encoded);
        assertEquals(new SignalMessage(SignalMessage.OFFER, 5, data), SignalCodec.decode(encoded));
    }

    @Test
    void roundTripsRandomMessages() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder data = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                data.append((char) random.nextInt(0xD800));
            }
            SignalMessage message = new SignalMessage(random.nextInt(8), random.nextInt(Integer.MAX_VALUE), data.toString());
            assertEquals(message, SignalCodec.decode(SignalCodec.encode(message)));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":4.0,\"id\":2.0,\"data\":\"x\"}|4|2|x",
        "{\"id\":2147483647,\"type\":7}|7|2147483647|",
        "{\"type\":0,\"id\":1,\"data\":\"\",\"extra\":{\"nested\":[1,2]}}|0|1|",
        " { \"type\" : 3 , \"id\" : 9 } |3|9|",
    })
    void acceptsLenientButUnambiguousForms(String json, int type, int id, String data) throws Exception {
        assertEquals(new SignalMessage(type, id, data == null ? "" : data), SignalCodec.decode(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[1,2,3]",
        "\"string\"",
        "42",
        "null",
        "{",
        "{\"type\":0,\"id\":0",
        "{\"type\":0,\"id\":0}}",
        "{\"type\":0,\"id\":0} {}",
        "{\"id\":0,\"data\":\"\"}",
        "{\"type\":0,\"data\":\"\"}",
        "{\"type\":\"0\",\"id\":0}",
        "{\"type\":0,\"id\":\"1\"}",
        "{\"type\":0,\"id\":0,\"data\":5}",
        "{\"type\":0,\"id\":0,\"data\":null}",
        "{\"type\":0,\"id\":0,\"data\":[\"a\"]}",
        "{\"type\":null,\"id\":0}",
        "{\"type\":true,\"id\":0}",
        "{\"type\":-1,\"id\":0}",
        "{\"type\":0,\"id\":-5}",
        "{\"type\":0,\"id\":2147483648}",
        "{\"type\":0,\"id\":99999999999999999999999}",
        "{\"type\":1.5,\"id\":0}",
        "{\"type\":0,\"id\":1e300}",
        "{\"type\":0,\"id\":0,\"type\":4}",
        "{\"type\":0,\"id\":0,\"x\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}",
        "{\"type\":0,\"id\":0,\"data\":\"\\ud800\"",
    })
    void rejectsMalformedFrames(String json) {
        assertThrows(MalformedMessageException.class, () -> SignalCodec.decode(json));
    }

    @Test
    void neverThrowsAnythingButMalformedOnRandomInput() {
        Random random = new Random(7);
        String seed = "{\"type\":6,\"id\":12345,\"data\":\"\\n0\\n0\\ncandidate\"}";
        String alphabet = "{}[]\":,0123456789.-eE tfnul\\\u0000\u00ff";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder frame = new StringBuilder(seed);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && frame.length() > 0; e++) {
                int at = random.nextInt(frame.length());
                switch (random.nextInt(3)) {
                    case 0 -> frame.deleteCharAt(at);
                    case 1 -> frame.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> frame.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                SignalMessage message = SignalCodec.decode(frame.toString());
                assertEquals(message, SignalCodec.decode(SignalCodec.encode(message)));
            } catch (MalformedMessageException expected) {
                // the only failure a codec may report
            }
        }
    }
}

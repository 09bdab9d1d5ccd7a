package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.game.GameType;
import io.meshgate.game.Room;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Godot 4's LIST of public lobbies and private lobbies' join codes, over real sockets. */
class LobbyBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    /** A game whose label is its creator's "mode" option. */
    private static final class Labelled extends IdleGame {
        private final Room room;

        Labelled(Room room) {
            this.room = room;
        }

        @Override
        public void onCreate(Map<String, Object> options) {
            room.setLabel(Map.of("mode", String.valueOf(options.getOrDefault("mode", "casual"))));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(List.of(GameType.of("labelled", Labelled::new, 0, 0)), "--max-lobby-peers", "3",
                "--no-lobby-timeout", "400", "--browse-timeout", "20000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Creates a lobby with the JOIN given (as JSON keys after type, id, data) and returns the creator's JOIN reply. */
    private static JsonNode create(SignalingClient client, int id, String keys) throws Exception {
        client.sendRaw("{\"type\":0,\"id\":" + id + ",\"data\":\"\"" + keys + "}");
        while (true) {
            JsonNode message = JSON.readTree(client.nextRaw());
            if (message.get("type").asInt() == SignalMessage.JOIN) {
                return message;
            }
        }
    }

    /** Sends a LIST and returns the LOBBIES answer. */
    private static JsonNode list(SignalingClient client, String keys) throws Exception {
        client.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"" + keys + "}");
        JsonNode answer = JSON.readTree(client.nextRaw());
        assertEquals(SignalMessage.LOBBIES, answer.get("type").asInt(), answer.toString());
        return answer;
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("lobbies").forEach(lobby -> names.add(lobby.get("name").asText()));
        return names;
    }

    @Test
    void onlyPublicLobbiesAreListedWithWhatAPlayerNeedsAndNoPeerIds() throws Exception {
        SignalingClient publicHost = server.connect();
        String shown = create(publicHost, 4, ",\"public\":true").get("data").asText();
        SignalingClient unlistedHost = server.connect();
        String unlisted = create(unlistedHost, 4, "").get("data").asText();
        SignalingClient privateHost = server.connect();
        String hidden = create(privateHost, 4, ",\"private\":true").get("data").asText();

        SignalingClient browser = server.connect();
        JsonNode page = list(browser, "");
        List<String> names = names(page);
        assertTrue(names.contains(shown), page.toString());
        assertFalse(names.contains(unlisted) || names.contains(hidden), "unlisted and private lobbies stay hidden");
        JsonNode lobby = page.get("lobbies").get(names.indexOf(shown));
        Set<String> keys = new HashSet<>();
        lobby.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("name", "game", "label", "hosting", "mesh", "players", "capacity"), keys,
                "nothing else, no peer id");
        assertEquals("peer", lobby.get("hosting").asText());
        assertEquals(1, lobby.get("players").asInt());
        assertEquals(3, lobby.get("capacity").asInt());
        assertTrue(browser.isOpen(), "listing is not joining: the client may go on browsing");
        for (SignalingClient client : List.of(publicHost, unlistedHost, privateHost, browser)) {
            client.close();
        }
    }

    @Test
    void listingsFilterByGameLabelAndFreeSeats() throws Exception {
        SignalingClient ranked = server.connect();
        String rankedLobby = create(ranked, 3, ",\"public\":true,\"game\":\"labelled\",\"options\":{\"mode\":\"ranked\"}")
                .get("data").asText();
        SignalingClient casual = server.connect();
        String casualLobby = create(casual, 3, ",\"public\":true,\"game\":\"labelled\"").get("data").asText();
        SignalingClient full = server.connect();
        String fullLobby = create(full, 4, ",\"public\":true").get("data").asText();
        List<SignalingClient> joiners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SignalingClient joiner = server.connect();
            joiner.send(SignalMessage.JOIN, 0, fullLobby);
            joiner.awaitJoin();
            joiners.add(joiner);
        }
        SignalingClient browser = server.connect();
        List<String> games = names(list(browser, ",\"game\":\"labelled\""));
        assertTrue(games.contains(rankedLobby) && games.contains(casualLobby) && !games.contains(fullLobby),
                games.toString());
        assertEquals(List.of(rankedLobby), names(list(browser, ",\"game\":\"labelled\",\"label\":{\"mode\":\"ranked\"}")));
        JsonNode rankedShown = list(browser, ",\"label\":{\"mode\":\"ranked\"}").get("lobbies").get(0);
        assertEquals("server", rankedShown.get("hosting").asText());
        assertEquals(2, rankedShown.get("capacity").asInt(), "seats for clients: the server's own peer is no seat");
        List<String> all = names(list(browser, ""));
        List<String> free = names(list(browser, ",\"free\":true"));
        assertTrue(all.contains(fullLobby) && !free.contains(fullLobby), "a full lobby only without free: " + free);
        for (SignalingClient client : List.of(ranked, casual, full, browser)) {
            client.close();
        }
        joiners.forEach(SignalingClient::close);
    }

    @Test
    void pagesCoverEveryLobbyOnceAndSealedOnesDisappear() throws Exception {
        List<SignalingClient> hosts = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SignalingClient host = server.connect();
            created.add(create(host, 4, ",\"public\":true").get("data").asText());
            hosts.add(host);
        }
        SignalingClient browser = server.connect();
        List<String> seen = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = list(browser, ",\"limit\":2,\"after\":" + after);
            seen.addAll(names(page));
            after = page.get("next").asLong();
            if (after == 0) {
                break;
            }
            assertTrue(page.get("lobbies").size() == 2, "a page that has a next is full");
        }
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no lobby twice: " + seen);
        assertTrue(seen.containsAll(created), "every lobby on some page");
        hosts.get(0).send(SignalMessage.SEAL, 0, "");
        hosts.get(0).expect(SignalMessage.SEAL, 0, ""); // told after the lobby marked itself sealed
        List<String> now = names(list(browser, ",\"limit\":50"));
        assertFalse(now.contains(created.get(0)), "a sealed lobby takes no one: not listed");
        assertTrue(now.containsAll(created.subList(1, 5)));
        hosts.forEach(SignalingClient::close);
        browser.close();
    }

    @Test
    void aPrivateLobbyIsJoinedByItsCodeWhichCannotBeGuessed() throws Exception {
        SignalingClient host = server.connect();
        JsonNode joined = create(host, 4, ",\"private\":true");
        String code = joined.get("code").asText();
        assertTrue(code.matches("[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}"), code);
        SignalingClient friend = server.connect();
        friend.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"" + code.toLowerCase() + "\"}");
        assertEquals(joined.get("data").asText(), friend.awaitJoin(), "the code leads to the lobby, case ignored");

        WebSocketClient guesser = TestServer.clientFrom("127.0.0.9");
        try {
            URI root = server.uri("/");
            for (int i = 0; i < 10; i++) {
                SignalingClient wrong = SignalingClient.connect(guesser, root);
                wrong.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"WRONG" + i + "\"}");
                assertEquals(new CloseStatus(4000, "No lobby has that code"), wrong.awaitClose());
            }
            SignalingClient eleventh = SignalingClient.connect(guesser, root);
            eleventh.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"" + code + "\"}");
            assertEquals(new CloseStatus(4000, "Too many wrong codes from your address, wait a minute"),
                    eleventh.awaitClose(), "even the right code, once an address has guessed too often");
        } finally {
            guesser.stop();
        }
        SignalingClient other = server.connect();
        other.sendRaw("{\"type\":0,\"id\":0,\"data\":\"\",\"code\":\"" + code + "\"}");
        assertEquals(joined.get("data").asText(), other.awaitJoin(), "other addresses are not held back");
        host.close();
        friend.close();
        other.close();
    }

    @Test
    void listingHasItsOwnRateAndKeepsABrowserConnected() throws Exception {
        SignalingClient browser = server.connect();
        SignalingClient idle = server.connect();
        for (int i = 0; i < 20; i++) {
            browser.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
        }
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            JsonNode answer = JSON.readTree(browser.nextRaw());
            if (answer.has("error")) {
                refused++;
                assertEquals(0, answer.get("lobbies").size());
            }
        }
        assertTrue(refused >= 10, "most of a burst of 20 is refused, not answered: " + refused);
        assertEquals(CloseStatus.NO_LOBBY, idle.awaitClose(), "a client that neither joins nor lists is closed");
        assertTrue(browser.isOpen(), "one that lists may stay for the browse timeout");
        browser.close();
    }
}

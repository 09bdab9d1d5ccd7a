package io.meshgate.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.game.GameType;
import io.meshgate.game.JoinAttempt;
import io.meshgate.lobby.LobbyInfo;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.RelayClient;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Matchmaking over real sockets: tickets, their status, matched lobbies with held seats, refusals and cancels. */
class MatchmakingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Queue<Integer> RELEASED = new ConcurrentLinkedQueue<>();
    private static TestServer server;

    /** A game that notes the seats the matchmaker released. */
    private static final class Table extends IdleGame {
        @Override
        public void onSeatsReleased(int count) {
            RELEASED.add(count);
        }

        @Override
        public String onJoinAttempt(JoinAttempt attempt) {
            return attempt.name().equals("nope") ? "Not you" : null;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(List.of(GameType.of("table", room -> new Table(), 0, 0)), "--match-cycle", "50",
                "--match-settle", "600", "--match-hold", "700", "--no-lobby-timeout", "2000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void ticket(SignalingClient client, int number, String keys) {
        client.sendRaw("{\"type\":102,\"id\":" + number + ",\"data\":\"\"" + keys + "}");
    }

    /** The next TICKET_STATUS whose state is {@code state}, skipping others. */
    private static JsonNode status(SignalingClient client, String state) throws Exception {
        while (true) {
            JsonNode message = JSON.readTree(client.nextRaw());
            if (message.get("type").asInt() == SignalMessage.TICKET_STATUS && message.get("state").asText()
                    .equals(state)) {
                return message;
            }
        }
    }

    private static List<SignalingClient> seekers(int count, String keys) throws Exception {
        List<SignalingClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SignalingClient client = server.connect();
            ticket(client, 1, keys);
            clients.add(client);
        }
        return clients;
    }

    /** Joins the lobby of a matched status, showing its seat. */
    private static String join(SignalingClient player, JsonNode matched) throws Exception {
        player.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + matched.get("lobby").asText() + "\",\"seat\":\""
                + matched.get("seat").asText() + "\"}");
        return player.awaitJoin();
    }

    @Test
    void fourSeekersAreMatchedIntoOneHeldLobbyAndJoinItWithTheirSeats() throws Exception {
        List<SignalingClient> players = seekers(4, ",\"properties\":{\"region\":\"eu\"},\"min\":2,\"max\":4");
        List<JsonNode> matched = new ArrayList<>();
        for (SignalingClient player : players) {
            JsonNode status = status(player, "matched");
            assertEquals(1, status.get("id").asInt(), "the client's own ticket number");
            matched.add(status);
        }
        Set<String> lobbies = new HashSet<>();
        Set<String> seats = new HashSet<>();
        matched.forEach(status -> {
            lobbies.add(status.get("lobby").asText());
            seats.add(status.get("seat").asText());
        });
        assertEquals(1, lobbies.size(), "one lobby for the four");
        assertEquals(4, seats.size(), "a seat each");
        String lobby = lobbies.iterator().next();
        SignalingClient stranger = server.connect();
        stranger.send(SignalMessage.JOIN, 0, lobby);
        assertEquals(new CloseStatus(4000, "Lobby is reserved for its matched players"), stranger.awaitClose());
        SignalingClient thief = server.connect();
        thief.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\"not-a-seat\"}");
        assertEquals(new CloseStatus(4000, "Lobby is reserved for its matched players"), thief.awaitClose());
        for (int i = 0; i < 3; i++) {
            assertEquals(lobby, join(players.get(i), matched.get(i)));
        }
        // The fourth plays without WebRTC: it takes its seat over the relay, a connection of its own.
        RelayClient relay = RelayClient.connect(server.jetty, server.port(),
                lobby + "?seat=" + matched.get(3).get("seat").asText());
        relay.readId();
        LobbyInfo info = Eventually.value("five members: the server and the four", () -> {
            LobbyInfo found = server.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                    .filter(l -> l.name().equals(lobby)).findFirst().orElseThrow();
            return found.members().size() == 5 ? found : null;
        });
        assertEquals("table", info.game(), "a server-hosted lobby of the ticket's game");
        assertEquals("server", info.members().get(0).transport(), "hosted by the server's own peer 1");
        assertEquals("relay", info.members().get(4).transport());
        SignalingClient late = server.connect();
        late.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\"" + matched.get(0).get("seat")
                .asText() + "\"}");
        assertEquals(lobby, late.awaitJoin(), "the seat's player on a new connection");
        assertEquals(new CloseStatus(4000, "Your seat was taken by your new connection"), players.get(0).awaitClose(),
                "a seat is held by one connection at a time");
        late.close();
        players.forEach(SignalingClient::close);
        relay.close();
    }

    @Test
    void threeSeekersForTwoToFourAreToldWhereTheyStandThenPlayAsThree() throws Exception {
        List<SignalingClient> players = seekers(3, ",\"properties\":{\"region\":\"us\"},\"min\":2,\"max\":4");
        JsonNode waiting = status(players.get(0), "waiting");
        assertTrue(waiting.get("players_in_reach").asInt() >= 1, waiting.toString());
        assertTrue(waiting.get("settles_in_ms").asLong() <= 600, waiting.toString());
        Set<String> lobbies = new HashSet<>();
        for (SignalingClient player : players) {
            JsonNode matched = status(player, "matched");
            lobbies.add(matched.get("lobby").asText());
            assertEquals(matched.get("lobby").asText(), join(player, matched));
        }
        assertEquals(1, lobbies.size(), "after the settle wait, three together (nakama#1167)");
        players.forEach(SignalingClient::close);
    }

    @Test
    void aPeerHostedMatchIsHostedByItsFirstPlayerToArrive() throws Exception {
        int liveBefore = server.server.rtc().stats().liveConnections();
        String kart = ",\"game\":\"kart\",\"hosting\":\"peer\",\"min\":3,\"max\":3";
        // Same game and sizes but another lobby mode: it must not meet them.
        SignalingClient client = seekers(1, kart).get(0);
        List<SignalingClient> players = seekers(3, kart + ",\"mesh\":true");
        List<JsonNode> matched = new ArrayList<>();
        for (SignalingClient player : players) {
            JsonNode status = status(player, "matched");
            assertEquals("peer", status.get("hosting").asText());
            matched.add(status);
        }
        String lobby = matched.get(0).get("lobby").asText();
        assertTrue(matched.stream().allMatch(m -> m.get("lobby").asText().equals(lobby)), matched.toString());
        JsonNode waiting = status(client, "waiting");
        assertEquals(1, waiting.get("players_in_reach").asInt(), "the client/server ticket is alone in its pool: "
                + waiting);
        // The second player arrives first: it is peer 1, and the mesh forms as in any peer-hosted lobby.
        SignalingClient first = players.get(1);
        first.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\""
                + matched.get(1).get("seat").asText() + "\"}");
        first.expect(SignalMessage.ID, 1, "true");
        assertEquals(lobby, first.awaitJoin());
        SignalingClient second = players.get(0);
        second.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\""
                + matched.get(0).get("seat").asText() + "\"}");
        SignalMessage id = second.next();
        assertEquals(SignalMessage.ID, id.type());
        assertTrue(id.id() > 1, "a joiner's id: " + id);
        second.expect(SignalMessage.PEER_CONNECT, 1, "");
        assertEquals(lobby, second.awaitJoin());
        first.expect(SignalMessage.PEER_CONNECT, id.id(), "");
        second.send(SignalMessage.OFFER, 1, "sdp");
        first.expect(SignalMessage.OFFER, id.id(), "sdp");
        SignalingClient stranger = server.connect();
        stranger.send(SignalMessage.JOIN, 0, lobby);
        assertEquals(new CloseStatus(4000, "Lobby is reserved for its matched players"), stranger.awaitClose());
        assertEquals(lobby, join(players.get(2), matched.get(2)));
        first.send(SignalMessage.SEAL, 0, "");
        SignalMessage next = second.next();
        if (next.type() == SignalMessage.PEER_CONNECT) {
            next = second.next(); // the third player, announced in the mesh
        }
        assertEquals(SignalMessage.SEAL, next.type(), "the first comer owns the lobby and may seal it: " + next);
        assertEquals(liveBefore, server.server.rtc().stats().liveConnections(), "the server only signals");
        players.forEach(SignalingClient::close);
        client.close();
    }

    @Test
    void quickPlayIsMatchmakingWithoutPropertiesSoSeekersWithoutAnyJoinQuickPlayers() throws Exception {
        SignalingClient quick = server.connect();
        quick.sendRaw("{\"type\":0,\"id\":3,\"data\":\"*\",\"game\":\"table\"}");
        String lobby = quick.awaitJoin();
        SignalingClient picky = seekers(1, ",\"properties\":{\"mode\":\"ranked\"},\"min\":2,\"max\":4").get(0);
        List<SignalingClient> seekers = seekers(2, ",\"min\":2,\"max\":4");
        JsonNode first = status(seekers.get(0), "matched");
        assertEquals(lobby, first.get("lobby").asText(), "sent to the quick player's lobby");
        assertEquals(lobby, status(seekers.get(1), "matched").get("lobby").asText());
        assertEquals(lobby, join(seekers.get(0), first));
        assertEquals(1, status(picky, "waiting").get("players_in_reach").asInt(), "a ticket with properties waits");
        // The second seeker never comes: after the hold its seat is free again, and the game is told.
        int released = RELEASED.size();
        Eventually.await("the unclaimed seat is released", () -> RELEASED.size() > released);
        List<String> quickLobbies = new ArrayList<>();
        List<SignalingClient> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SignalingClient client = server.connect();
            more.add(client);
            client.sendRaw("{\"type\":0,\"id\":3,\"data\":\"*\",\"game\":\"table\"}");
            quickLobbies.add(client.awaitJoin());
        }
        assertEquals(List.of(lobby, lobby), quickLobbies.subList(0, 2), "two more fill its four places");
        assertTrue(!quickLobbies.get(2).equals(lobby), "and the next finds it full");
        quick.close();
        picky.close();
        seekers.forEach(SignalingClient::close);
        more.forEach(SignalingClient::close);
    }

    @Test
    void aPlayerWhoseWebRtcFailedTakesItsSeatAgainOverTheRelay() throws Exception {
        List<SignalingClient> players = seekers(2, ",\"properties\":{\"region\":\"oc\"},\"min\":2,\"max\":2");
        JsonNode first = status(players.get(0), "matched");
        JsonNode second = status(players.get(1), "matched");
        String lobby = first.get("lobby").asText();
        assertEquals(lobby, join(players.get(0), first));
        // The first player's WebRTC never opens: it shows its seat again over the relay, while the hold lasts.
        RelayClient relay = RelayClient.connect(server.jetty, server.port(),
                lobby + "?seat=" + first.get("seat").asText());
        relay.readId();
        assertEquals(new CloseStatus(4000, "Your seat was taken by your new connection"), players.get(0).awaitClose());
        assertEquals(lobby, join(players.get(1), second), "the other seat is still the other player's");
        LobbyInfo info = Eventually.value("the server, the relay player and the second player", () -> {
            LobbyInfo found = server.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                    .filter(l -> l.name().equals(lobby)).findFirst().orElseThrow();
            return found.members().size() == 3 ? found : null;
        });
        assertEquals("relay", info.members().get(1).transport());
        SignalingClient thief = server.connect();
        thief.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\"" + first.get("seat").asText()
                + "x\"}");
        assertEquals(new CloseStatus(4000, "Lobby is reserved for its matched players"), thief.awaitClose());
        relay.close();
        players.forEach(SignalingClient::close);
    }

    @Test
    void badTicketsAreRefusedWithAReason() throws Exception {
        SignalingClient client = server.connect();
        ticket(client, 5, ",\"min\":1,\"max\":4");
        assertEquals("min must be 2 or more", status(client, "refused").get("reason").asText());
        ticket(client, 6, ",\"game\":\"chess\"");
        assertEquals("No such game on this server", status(client, "refused").get("reason").asText());
        ticket(client, 7, ",\"min\":2,\"max\":5,\"count_multiple\":2");
        assertEquals("count_multiple must divide both min and max", status(client, "refused").get("reason").asText());
        client.close();
        SignalingClient busy = server.connect(); // a connection of its own: TICKET has a rate of its own too
        for (int i = 10; i < 13; i++) {
            ticket(busy, i, ",\"properties\":{\"region\":\"mars\"},\"min\":8,\"max\":8");
        }
        ticket(busy, 13, ",\"properties\":{\"region\":\"mars\"},\"min\":8,\"max\":8");
        assertEquals("At most 3 tickets per connection", status(busy, "refused").get("reason").asText());
        busy.sendRaw("{\"type\":104,\"id\":10,\"data\":\"\"}");
        assertEquals(10, status(busy, "cancelled").get("id").asInt());
        int before = server.server.matches().waiting(); // its two tickets among them
        busy.close();
        Eventually.await("a closed connection's tickets are withdrawn",
                () -> server.server.matches().waiting() == before - 2);
    }

    @Test
    void seatsNobodyClaimsAreReleasedAndTheGameIsTold() throws Exception {
        List<SignalingClient> players = seekers(2, ",\"properties\":{\"region\":\"sa\"},\"min\":2,\"max\":2");
        JsonNode matched = status(players.get(0), "matched");
        status(players.get(1), "matched");
        join(players.get(0), matched);
        Eventually.await("the hold passes and the game hears of the player that did not come",
                () -> RELEASED.contains(1));
        List<SignalingClient> idle = seekers(2, ",\"properties\":{\"region\":\"af\"},\"min\":2,\"max\":2");
        String empty = status(idle.get(0), "matched").get("lobby").asText();
        Eventually.await("a lobby nobody came to closes", () -> !server.server.lobbies().lobbyExists(empty));
        players.forEach(SignalingClient::close);
        idle.forEach(SignalingClient::close);
    }

    @Test
    void aPartyGathersAndIsMatchedWhole() throws Exception {
        String keys = ",\"properties\":{\"region\":\"party\"},\"min\":4,\"max\":4";
        String party = ",\"party\":\"our-secret-party-key-42\",\"party_size\":3";
        SignalingClient leader = server.connect();
        ticket(leader, 1, keys + party);
        JsonNode gathering = status(leader, "gathering");
        assertEquals(1, gathering.get("party_members").asInt());
        assertEquals(3, gathering.get("party_size").asInt());
        SignalingClient friend = server.connect();
        ticket(friend, 1, keys + party);
        SignalingClient other = server.connect();
        ticket(other, 1, keys + party);
        List<SignalingClient> singles = seekers(2, keys);
        Set<String> lobbies = new HashSet<>();
        for (SignalingClient player : List.of(leader, friend, other, singles.get(0))) {
            lobbies.add(status(player, "matched").get("lobby").asText());
        }
        assertEquals(1, lobbies.size(), "the party of three and one of the two singles: four, the party whole");
        for (SignalingClient client : List.of(leader, friend, other)) {
            client.close();
        }
        singles.forEach(SignalingClient::close);
    }

    @Test
    void aPartyMemberWhoLeavesTakesThePartysTicketWithIt() throws Exception {
        String keys = ",\"properties\":{\"region\":\"gone\"},\"min\":2,\"max\":4,\"party\":\"another-secret-key-77\","
                + "\"party_size\":3";
        SignalingClient leader = server.connect();
        ticket(leader, 1, keys);
        SignalingClient friend = server.connect();
        ticket(friend, 2, keys);
        status(friend, "gathering");
        friend.close();
        JsonNode cancelled = status(leader, "cancelled");
        assertEquals("A party member left", cancelled.get("reason").asText());
        ticket(leader, 3, ",\"party\":\"short\",\"party_size\":2");
        assertTrue(status(leader, "refused").get("reason").asText().startsWith("A party needs a key of 16"));
        SignalingClient disagreeing = server.connect();
        ticket(leader, 4, keys);
        status(leader, "gathering"); // the party exists before a member who disagrees asks to join it
        ticket(disagreeing, 1, keys.replace("\"max\":4", "\"max\":3"));
        assertEquals("Party members must ask for the same game, properties and sizes",
                status(disagreeing, "refused").get("reason").asText());
        leader.close();
        disagreeing.close();
    }

    @Test
    void ticketsHaveTheirOwnRate() throws Exception {
        SignalingClient client = server.connect();
        for (int i = 0; i < 20; i++) {
            ticket(client, 100 + i, ",\"properties\":{\"region\":\"rate\"},\"min\":8,\"max\":8");
        }
        int overRate = 0;
        for (int i = 0; i < 20; i++) {
            JsonNode status = status(client, "refused");
            if (status.get("reason").asText().equals("Too many tickets, wait a moment")) {
                overRate++;
            }
            if (i >= 16) {
                break; // three tickets wait and say nothing; every other one is refused for one reason or another
            }
        }
        assertTrue(overRate >= 10, "most of a burst of 20 never reaches the matchmaker: " + overRate);
        client.close();
    }

    @Test
    void aJoinTheGameRefusesKeepsItsSeatForTheNextTry() throws Exception {
        List<SignalingClient> players = seekers(2, ",\"properties\":{\"region\":\"retry\"},\"min\":2,\"max\":2");
        JsonNode matched = status(players.get(0), "matched");
        String lobby = matched.get("lobby").asText();
        String seat = matched.get("seat").asText();
        players.get(0).sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\"" + seat
                + "\",\"name\":\"nope\"}");
        assertEquals(new CloseStatus(4000, "Not you"), players.get(0).awaitClose());
        SignalingClient again = server.connect();
        again.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"seat\":\"" + seat + "\"}");
        assertEquals(lobby, again.awaitJoin(), "the seat was not spent on the refused join");
        again.close();
        players.get(1).close();
    }

    @Test
    void oneAddressHoldsABoundedNumberOfTickets() throws Exception {
        try (TestServer bounded = new TestServer(List.of(GameType.of("table", room -> new Table(), 0, 0)),
                "--max-tickets-per-address", "2")) {
            String keys = ",\"min\":8,\"max\":8";
            List<SignalingClient> mine = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SignalingClient client = bounded.connect();
                ticket(client, 1, keys);
                mine.add(client);
            }
            Eventually.await("two tickets waiting", () -> bounded.server.matches().waiting() == 2);
            SignalingClient third = bounded.connect();
            ticket(third, 1, keys);
            assertEquals("Too many tickets from your address", status(third, "refused").get("reason").asText());
            WebSocketClient elsewhere = TestServer.clientFrom("127.0.0.3");
            try {
                SignalingClient other = SignalingClient.connect(elsewhere, bounded.uri("/"));
                ticket(other, 1, keys);
                Eventually.await("another address is not held back", () -> bounded.server.matches().waiting() == 3);
                other.close();
            } finally {
                elsewhere.stop();
            }
            mine.get(0).sendRaw("{\"type\":104,\"id\":1,\"data\":\"\"}");
            status(mine.get(0), "cancelled");
            ticket(third, 2, keys);
            assertEquals(2, status(third, "waiting").get("id").asInt(), "a cancelled ticket gives its place back");
            mine.forEach(SignalingClient::close);
            third.close();
        }
    }
}

package io.meshgate.signaling;

import static io.meshgate.wire.godot4.SignalMessage.ANSWER;
import static io.meshgate.wire.godot4.SignalMessage.CANDIDATE;
import static io.meshgate.wire.godot4.SignalMessage.ID;
import static io.meshgate.wire.godot4.SignalMessage.JOIN;
import static io.meshgate.wire.godot4.SignalMessage.OFFER;
import static io.meshgate.wire.godot4.SignalMessage.PEER_CONNECT;
import static io.meshgate.wire.godot4.SignalMessage.PEER_DISCONNECT;
import static io.meshgate.wire.godot4.SignalMessage.SEAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Godot 4's signaling protocol against the real server: join sequences, relay, seal, leaving, and every error. */
class Godot4ProtocolTest {

    private static final int SEAL_MS = 300;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--seal-timeout", Integer.toString(SEAL_MS), "--no-lobby-timeout", "5000");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void closeClients() {
        server.closeClients();
    }

    /** Joins {@code client} to {@code lobby}, checks its join sequence, and returns its id. */
    private static int join(SignalingClient client, String lobby, int... expectedPeers) throws Exception {
        client.send(JOIN, 0, lobby);
        SignalMessage id = client.next();
        assertEquals(ID, id.type(), "first message of a join is ID: " + id);
        for (int peer : expectedPeers) {
            client.expect(PEER_CONNECT, peer, "");
        }
        client.expect(JOIN, 0, lobby);
        return id.id();
    }

    @Test
    void creatorGetsIdOneThenTheLobbyName() throws Exception {
        SignalingClient host = server.connect();
        host.send(JOIN, 0, "");
        assertEquals("{\"type\":1,\"id\":1,\"data\":\"true\"}", host.nextRaw());
        SignalMessage joined = host.next();
        assertEquals(JOIN, joined.type());
        assertEquals(0, joined.id());
        assertTrue(joined.data().matches("[A-Za-z0-9]{16}"), "unguessable lobby name: " + joined.data());
        assertTrue(server.server.lobbies().lobbyExists(joined.data()));
    }

    @Test
    void lobbyNamesAreDistinct() throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            names.add(server.connect().create(true));
        }
        assertEquals(20, names.size());
    }

    @Test
    void clientServerCreatorIsNotToldMesh() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(false);
        assertEquals(16, lobby.length());
    }

    @Test
    void joinerGetsItsIdThePeersAndTheLobbyName() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient joiner = server.connect();
        joiner.send(JOIN, 0, lobby);
        SignalMessage id = joiner.next();
        assertEquals(ID, id.type());
        assertEquals("true", id.data(), "the lobby keeps its creator's mode");
        assertTrue(id.id() >= 2, "joiner ids are 2..2^31-1: " + id.id());
        joiner.expect(PEER_CONNECT, 1, "");
        joiner.expect(JOIN, 0, lobby);
        host.expect(PEER_CONNECT, id.id(), "");
    }

    @Test
    void joinerOfAClientServerLobbyIsToldItIsNotAMesh() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(false);
        SignalingClient joiner = server.connect();
        joiner.send(JOIN, 0, lobby); // a joiner's own mode flag is ignored, as in the reference
        SignalMessage id = joiner.next();
        assertEquals(new SignalMessage(ID, id.id(), ""), id);
    }

    @Test
    void meshOfFourAnnouncesEveryoneToEveryone() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        List<SignalingClient> peers = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        ids.add(1);
        for (int n = 0; n < 3; n++) {
            SignalingClient peer = server.connect();
            int id = join(peer, lobby, ids.stream().mapToInt(Integer::intValue).toArray());
            host.expect(PEER_CONNECT, id, "");
            for (SignalingClient earlier : peers) {
                earlier.expect(PEER_CONNECT, id, "");
            }
            peers.add(peer);
            ids.add(id);
        }
        assertEquals(ids, server.server.lobbies().members(lobby).get());
        assertEquals(4, new HashSet<>(ids).size());
    }

    @Test
    void clientServerAnnouncesOnlyHostAndPeer() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(false);
        SignalingClient a = server.connect();
        int idA = join(a, lobby, 1);
        host.expect(PEER_CONNECT, idA, "");
        SignalingClient b = server.connect();
        int idB = join(b, lobby, 1); // only the host, not a
        host.expect(PEER_CONNECT, idB, "");
        // b's join is complete, so a PEER_CONNECT for a would already be queued: the host's next message comes first
        host.send(OFFER, idA, "sentinel");
        a.expect(OFFER, 1, "sentinel");

        b.send(OFFER, idA, "sdp"); // b may not reach a peer it was never announced
        b.expectClose(4000, "Invalid destination");
        host.expect(PEER_DISCONNECT, idB, "");
        host.send(OFFER, idA, "second sentinel");
        a.expect(OFFER, 1, "second sentinel"); // nor is a told that b left
    }

    @Test
    void relayRewritesIdsBothWays() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient a = server.connect();
        int idA = join(a, lobby, 1);
        host.expect(PEER_CONNECT, idA, "");
        SignalingClient b = server.connect();
        int idB = join(b, lobby, 1, idA);
        host.expect(PEER_CONNECT, idB, "");
        a.expect(PEER_CONNECT, idB, "");

        String offer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n";
        String candidate = "\n0\n0\ncandidate:842163049 1 udp 1677729535 10.0.0.1 46154 typ srflx";
        a.send(OFFER, 1, offer); // destination 1 is the host...
        host.expect(OFFER, idA, offer); // ...who sees the real source
        host.send(ANSWER, idA, "answer"); // the host's messages...
        a.expect(ANSWER, 1, "answer"); // ...come from 1, not from its server-wide id
        b.send(CANDIDATE, idA, candidate);
        a.expect(CANDIDATE, idB, candidate);
        a.send(CANDIDATE, idB, "");
        b.expect(CANDIDATE, idA, "");
    }

    @Test
    void peerLeavingIsAnnouncedToTheOthers() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient a = server.connect();
        int idA = join(a, lobby, 1);
        host.expect(PEER_CONNECT, idA, "");
        SignalingClient b = server.connect();
        int idB = join(b, lobby, 1, idA);
        host.expect(PEER_CONNECT, idB, "");
        a.expect(PEER_CONNECT, idB, "");

        b.close();
        host.expect(PEER_DISCONNECT, idB, "");
        a.expect(PEER_DISCONNECT, idB, "");
        assertEquals(List.of(1, idA), server.server.lobbies().members(lobby).get());

        // A candidate that was in flight when b left is dropped; its sender is not punished for the race.
        a.send(CANDIDATE, idB, "\n0\n0\nlate");
        a.send(OFFER, 1, "after");
        host.expect(OFFER, idA, "after");
        assertTrue(a.isOpen());
    }

    @Test
    void hostLeavingClosesTheLobby() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient a = server.connect();
        int idA = join(a, lobby, 1);
        SignalingClient b = server.connect();
        int idB = join(b, lobby, 1, idA);
        a.expect(PEER_CONNECT, idB, "");
        host.close();
        a.expectClose(4000, "Room host has disconnected");
        b.expectClose(4000, "Room host has disconnected");
        assertFalse(server.server.lobbies().lobbyExists(lobby));
    }

    @Test
    void sealBroadcastsRefusesJoinsThenClosesEveryoneAndRemovesTheLobby() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient a = server.connect();
        int idA = join(a, lobby, 1);
        host.expect(PEER_CONNECT, idA, "");

        a.send(SEAL, 0, ""); // a non-host may not seal...
        a.expectClose(4000, "Only host can seal the lobby");
        host.expect(PEER_DISCONNECT, idA, "");

        SignalingClient b = server.connect();
        int idB = join(b, lobby, 1);
        host.expect(PEER_CONNECT, idB, "");
        long sealedAt = System.nanoTime();
        host.send(SEAL, 0, "");
        host.expect(SEAL, 0, "");
        b.expect(SEAL, 0, "");

        SignalingClient late = server.connect();
        late.send(JOIN, 0, lobby);
        late.expectClose(4000, "Lobby is sealed");

        host.expectClose(1000, "Seal complete");
        b.expectClose(1000, "Seal complete");
        long elapsedMs = (System.nanoTime() - sealedAt) / 1_000_000;
        assertTrue(elapsedMs >= SEAL_MS, "closed after the seal timeout, not before: " + elapsedMs + " ms");
        assertFalse(server.server.lobbies().lobbyExists(lobby), "a completed seal removes the lobby");
        SignalingClient after = server.connect();
        after.send(JOIN, 0, lobby);
        after.expectClose(4000, "Lobby does not exists");
    }

    @Test
    void quickPlayFillsOneLobbyThenOpensAnother() throws Exception {
        // quick-play-size defaults to 4: four "*" joins share a lobby, the fifth opens a new one
        List<SignalingClient> players = new ArrayList<>();
        List<String> lobbies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SignalingClient player = server.connect();
            player.send(JOIN, 5, "*"); // client/server, peer-hosted
            SignalMessage id = player.next();
            assertEquals(ID, id.type());
            SignalMessage message;
            while ((message = player.next()).type() != JOIN) {
                assertEquals(PEER_CONNECT, message.type());
            }
            lobbies.add(message.data());
            players.add(player);
        }
        assertEquals(1, new HashSet<>(lobbies.subList(0, 4)).size(), "the first four share a lobby: " + lobbies);
        assertNotEquals(lobbies.get(0), lobbies.get(4), "the fifth opens a new one");
        // a seat freed by a departure is offered again: wait until the host hears of it, then a sixth comes in
        players.get(3).close();
        SignalMessage message;
        while ((message = players.get(0).next()).type() != PEER_DISCONNECT) {
            assertEquals(PEER_CONNECT, message.type());
        }
        SignalingClient sixth = server.connect();
        sixth.send(JOIN, 5, "*");
        assertEquals(ID, sixth.next().type());
        while ((message = sixth.next()).type() != JOIN) {
            assertEquals(PEER_CONNECT, message.type());
        }
        assertEquals(lobbies.get(0), message.data(), "the freed seat in the first lobby");
    }

    @Test
    void secondSealIsHarmless() throws Exception {
        SignalingClient host = server.connect();
        host.create(true);
        host.send(SEAL, 0, "");
        host.expect(SEAL, 0, "");
        host.send(SEAL, 0, "");
        host.expectClose(1000, "Seal complete");
        assertEquals(0, host.pending(), "a second SEAL is not broadcast again");
    }

    // ---- errors: each closes the offender with the reference's reason and leaves other lobbies alone ----

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "{\"type\":0}",
        "{\"type\":\"0\",\"id\":0,\"data\":\"\"}",
        "{\"type\":0,\"id\":0,\"data\":7}",
        "{\"type\":-3,\"id\":0,\"data\":\"\"}",
        "{\"type\":0,\"id\":1.5,\"data\":\"\"}",
        "[0,0,\"\"]",
        "",
    })
    void malformedFramesCloseWithInvalidMessageFormat(String frame) throws Exception {
        SignalingClient client = server.connect();
        client.sendRaw(frame);
        client.expectClose(4000, "Invalid message format");
    }

    @ParameterizedTest
    @ValueSource(ints = {ID, PEER_CONNECT, PEER_DISCONNECT, 8, 99})
    void typesAClientMayNotSendCloseWithInvalidCommand(int type) throws Exception {
        SignalingClient host = server.connect();
        host.create(true);
        host.send(type, 1, "");
        host.expectClose(4000, "Invalid command");
    }

    @Test
    void binaryFramesAreRefused() throws Exception {
        SignalingClient client = server.connect();
        client.sendBinary(new byte[] {1, 2, 3});
        client.expectClose(4000, "Invalid transfer mode, must be text");
    }

    @ParameterizedTest
    @ValueSource(ints = {OFFER, ANSWER, CANDIDATE, SEAL})
    void lobbyMessagesBeforeJoiningAreRefused(int type) throws Exception {
        SignalingClient client = server.connect();
        client.send(type, 1, "x");
        client.expectClose(4000, "Invalid message when not in a lobby");
    }

    @Test
    void relayToAPeerOfAnotherLobbyIsRefused() throws Exception {
        SignalingClient other = server.connect();
        String otherLobby = other.create(true);
        SignalingClient otherJoiner = server.connect();
        int outsider = join(otherJoiner, otherLobby, 1);

        SignalingClient host = server.connect();
        host.create(true);
        host.send(OFFER, outsider, "sdp");
        host.expectClose(4000, "Invalid destination");
        other.send(OFFER, outsider, "sentinel");
        otherJoiner.expect(OFFER, 1, "sentinel"); // the refused offer never reached it
        assertTrue(otherJoiner.isOpen());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 12345, Integer.MAX_VALUE})
    void relayToAnUnknownOrOwnIdIsRefused(int destination) throws Exception {
        SignalingClient host = server.connect();
        host.create(true);
        host.send(CANDIDATE, destination, "\n0\n0\nx");
        host.expectClose(4000, "Invalid destination");
    }

    @Test
    void joiningTwiceIsRefused() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        host.send(JOIN, 0, lobby);
        host.expectClose(4000, "Already in a lobby");

        SignalingClient creator = server.connect();
        creator.create(true);
        creator.send(JOIN, 0, ""); // creating a second lobby is joining twice too
        creator.expectClose(4000, "Already in a lobby");
    }

    @Test
    void joiningAnUnknownLobbyIsRefused() throws Exception {
        SignalingClient client = server.connect();
        client.send(JOIN, 0, "NoSuchLobby12345");
        client.expectClose(4000, "Lobby does not exists");
    }

    @Test
    void badInputNeverDisturbsOtherLobbies() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        SignalingClient peer = server.connect();
        int id = join(peer, lobby, 1);
        host.expect(PEER_CONNECT, id, "");

        String[] garbage = {"{", "{\"type\":6,\"id\":" + id + ",\"data\":\"x\"}", "{\"type\":7,\"id\":0}",
            "{\"type\":0,\"id\":0,\"data\":[\"" + lobby + "\"]}", "\u0000\uffff"};
        for (String frame : garbage) {
            SignalingClient vandal = server.connect();
            vandal.sendRaw(frame);
            assertEquals(4000, vandal.awaitClose().code(), frame);
        }
        SignalingClient vandal = server.connect();
        vandal.sendBinary(new byte[1000]);
        assertEquals(4000, vandal.awaitClose().code());

        host.send(OFFER, id, "still here");
        peer.expect(OFFER, 1, "still here");
        peer.send(ANSWER, 1, "me too");
        host.expect(ANSWER, id, "me too");
        peer.send(CANDIDATE, 1, "sentinel");
        host.expect(CANDIDATE, id, "sentinel"); // nothing the vandals sent reached the host
        assertEquals(List.of(1, id), server.server.lobbies().members(lobby).get());
    }
}

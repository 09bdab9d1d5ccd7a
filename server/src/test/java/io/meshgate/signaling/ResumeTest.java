package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resuming a seat over real sockets: a Godot 4 client whose connection drops keeps its seat, id and missed signaling
 * for the resume window and takes them back with its token; a clean close holds nothing; tokens work once.
 */
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough that no test sees a window end unless it waits for one. */
    private static TestServer server;
    /** A short window, for the tests that wait for it to end. */
    private static TestServer brief;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--resume-window", "20000", "--no-lobby-timeout", "5000");
        brief = new TestServer("--resume-window", "400", "--no-lobby-timeout", "5000");
    }

    @AfterAll
    static void stop() {
        server.close();
        brief.close();
    }

    /** A joined client and what its join answer said. */
    private record Member(SignalingClient client, int id, String lobby, String token) {
    }

    /** Reads up to the join answer (skipping announcements), keeping the id and the resume token. */
    private static Member joined(SignalingClient client) throws Exception {
        int id = -1;
        while (true) {
            JsonNode message = JSON.readTree(client.nextRaw());
            int type = message.get("type").asInt();
            if (type == SignalMessage.ID) {
                id = message.get("id").asInt();
            } else if (type == SignalMessage.JOIN) {
                return new Member(client, id, message.get("data").asText(), message.path("resume").asText(null));
            }
        }
    }

    private static Member create(TestServer on, boolean mesh) throws Exception {
        SignalingClient client = on.connect();
        client.send(SignalMessage.JOIN, mesh ? 4 : 5, "");
        return joined(client);
    }

    private static Member join(TestServer on, String lobby) throws Exception {
        SignalingClient client = on.connect();
        client.send(SignalMessage.JOIN, 0, lobby);
        return joined(client);
    }

    /** Waits until the server noticed a member's drop and holds its seat. */
    private static void awaitHeld(TestServer on, String lobby) throws Exception {
        Eventually.value("the seat is held", () -> on.server.lobbies().list(1000).get(10, TimeUnit.SECONDS).stream()
                .filter(l -> l.name().equals(lobby)).anyMatch(l -> l.members().stream()
                        .anyMatch(m -> m.transport().equals("held"))) ? Boolean.TRUE : null);
    }

    private static SignalingClient resume(TestServer on, String lobby, String token) throws Exception {
        SignalingClient client = on.connect();
        client.sendRaw("{\"type\":0,\"id\":0,\"data\":\"" + lobby + "\",\"resume\":\"" + token + "\"}");
        return client;
    }

    @Test
    void aDroppedMemberResumesItsSeatWithWhatItMissedAndNobodyNotices() throws Exception {
        Member host = create(server, true);
        Member guest = join(server, host.lobby());
        host.client().expect(SignalMessage.PEER_CONNECT, guest.id(), "");
        assertTrue(guest.token() != null && guest.token().length() >= 20, "a resume token in the join answer");
        guest.client().disconnect(); // no close frame: a phone changing networks
        awaitHeld(server, host.lobby()); // what is sent before the server sees the drop goes to the dead connection
        host.client().send(SignalMessage.OFFER, guest.id(), "offer while it was away");
        assertEquals(1, server.server.lobbies().heldSeats(), "one seat held, as /stats and /metrics report");
        SignalingClient back = resume(server, host.lobby(), guest.token());
        back.expect(SignalMessage.ID, guest.id(), "true"); // its old id
        back.expect(SignalMessage.OFFER, 1, "offer while it was away"); // what it missed
        Member resumed = joined(back);
        assertEquals(guest.lobby(), resumed.lobby());
        assertNotEquals(guest.token(), resumed.token(), "a fresh token each time");
        back.send(SignalMessage.ANSWER, 1, "answer");
        host.client().expect(SignalMessage.ANSWER, guest.id(), "answer");
        assertEquals(0, server.server.lobbies().heldSeats(), "resumed: no longer held");
        assertNull(host.client().poll(Duration.ofMillis(200)), "the host heard of no leave and no join");
        // The old token is spent: a replay (or a thief who saw it) is refused.
        SignalingClient replay = resume(server, host.lobby(), guest.token());
        assertEquals(new CloseStatus(4000, "Cannot resume: the token is unknown, used or expired"),
                replay.awaitClose());
        assertTrue(back.isOpen());
        host.client().close();
        back.close();
    }

    @Test
    void aCleanCloseHoldsNothing() throws Exception {
        Member host = create(server, true);
        Member guest = join(server, host.lobby());
        host.client().expect(SignalMessage.PEER_CONNECT, guest.id(), "");
        guest.client().close();
        host.client().expect(SignalMessage.PEER_DISCONNECT, guest.id(), "");
        assertEquals(new CloseStatus(4000, "Cannot resume: the token is unknown, used or expired"),
                resume(server, host.lobby(), guest.token()).awaitClose());
        host.client().close();
    }

    @Test
    void aSeatNotResumedInTheWindowIsGivenUpAndTheOthersAreTold() throws Exception {
        Member host = create(brief, true);
        Member guest = join(brief, host.lobby());
        host.client().expect(SignalMessage.PEER_CONNECT, guest.id(), "");
        guest.client().disconnect();
        host.client().expect(SignalMessage.PEER_DISCONNECT, guest.id(), "");
        assertEquals(new CloseStatus(4000, "Cannot resume: the token is unknown, used or expired"),
                resume(brief, host.lobby(), guest.token()).awaitClose(), "its token ended with the window");
        assertEquals(0, brief.server.lobbies().heldSeats(), "none held once the window ended");
        host.client().close();
    }

    @Test
    void aHostWhoseSignalingDropsKeepsItsLobby() throws Exception {
        Member host = create(server, false);
        Member guest = join(server, host.lobby());
        host.client().expect(SignalMessage.PEER_CONNECT, guest.id(), "");
        host.client().disconnect();
        assertNull(guest.client().poll(Duration.ofMillis(300)), "the guest is not closed: the host may come back");
        SignalingClient back = resume(server, host.lobby(), host.token());
        back.expect(SignalMessage.ID, 1, "");
        assertEquals(host.lobby(), joined(back).lobby());
        back.send(SignalMessage.SEAL, 0, "");
        guest.client().expect(SignalMessage.SEAL, 0, "");
        back.expect(SignalMessage.SEAL, 0, "");
        back.close();
        guest.client().close();
    }

    @Test
    void aDialectWithoutResumeLeavesAtOnceAsBefore() throws Exception {
        // Godot 3's text protocol has no place for a token: its dropped clients leave at once, window or not.
        SignalingClient host = server.connect("/godot3");
        host.sendRaw("J: \n");
        assertEquals("I: 1\n", host.nextRaw());
        String lobby = host.nextRaw().substring(3).trim();
        SignalingClient guest = server.connect("/godot3");
        guest.sendRaw("J: " + lobby + "\n");
        String id = guest.nextRaw().substring(3).trim();
        assertEquals("N: " + id + "\n", host.nextRaw());
        guest.disconnect();
        assertEquals("D: " + id + "\n", host.nextRaw(), "told at once, as without resuming");
        host.close();
    }

    @Test
    void aNewConnectionResumingASeatWhoseOldOneLingersClosesTheOldOne() throws Exception {
        Member host = create(server, true);
        Member guest = join(server, host.lobby());
        host.client().expect(SignalMessage.PEER_CONNECT, guest.id(), "");
        // The old connection still looks alive to the server (a half-open TCP connection after a network change).
        SignalingClient back = resume(server, host.lobby(), guest.token());
        assertEquals(new CloseStatus(4000, "Resumed on another connection"), guest.client().awaitClose());
        back.expect(SignalMessage.ID, guest.id(), "true");
        assertEquals(host.lobby(), joined(back).lobby());
        host.client().send(SignalMessage.OFFER, guest.id(), "to the new connection");
        back.expect(SignalMessage.OFFER, 1, "to the new connection");
        assertNull(host.client().poll(Duration.ofMillis(200)), "the host noticed nothing");
        host.client().close();
        back.close();
    }
}

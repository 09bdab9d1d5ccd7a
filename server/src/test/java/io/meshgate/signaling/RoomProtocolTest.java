package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code ###!} room protocol on /rooms, frame by frame over real sockets, with the reference's codes and texts. */
class RoomProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--seal-timeout", "300");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        server.closeClients();
    }

    static void send(SignalingClient client, String code, String dataJson) {
        client.sendRaw("{\"command\":\"###!" + code + "\",\"data\":" + dataJson + "}");
    }

    /** The next frame, checked to carry {@code code}; returns its data. */
    static JsonNode expect(SignalingClient client, String code) throws Exception {
        JsonNode frame = JSON.readTree(client.nextRaw());
        assertEquals("###!" + code, frame.get("command").textValue(), frame.toString());
        return frame.get("data");
    }

    static void expect(SignalingClient client, String code, String dataJson) throws Exception {
        assertEquals(JSON.readTree(dataJson), expect(client, code));
    }

    static SignalingClient register(TestServer on, String name) throws Exception {
        SignalingClient client = on.connect("/rooms");
        send(client, "RP", JSON.writeValueAsString(name));
        assertTrue(expect(client, "RPK").canConvertToInt());
        return client;
    }

    /** Registers and creates a room; returns the host and the room's name. */
    static String create(SignalingClient host) throws Exception {
        send(host, "CR", "\"null\"");
        expect(host, "CTR", "1");
        return expect(host, "CRK").textValue();
    }

    /** Joins and returns the joiner's id, checking CTR, one RPC per member and JRK. */
    static int join(SignalingClient client, String room, List<String> names) throws Exception {
        send(client, "JR", JSON.writeValueAsString(room));
        int id = expect(client, "CTR").intValue();
        assertTrue(id > 1, "a joiner is not the host: " + id);
        for (int i = 0; i < names.size() - 1; i++) {
            expect(client, "RPC");
        }
        assertEquals(JSON.valueToTree(names), expect(client, "JRK"));
        return id;
    }

    @Test
    void createJoinRelayMessageSealAsTheReference() throws Exception {
        SignalingClient ann = register(server, "ann");
        String room = create(ann);
        SignalingClient bob = register(server, "bob");
        int bobId = join(bob, room, List.of("ann", "bob"));
        expect(ann, "RPC", String.valueOf(bobId));

        send(bob, "OO", "{\"id\":1,\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        expect(ann, "OOO", "{\"id\":" + bobId + ",\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        send(ann, "AA", "{\"id\":" + bobId + ",\"rtc\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        expect(bob, "AAA", "{\"id\":1,\"rtc\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
        send(bob, "CC", "{\"id\":1,\"rtc\":{\"candidate\":\"c\",\"sdpMLineIndex\":0}}");
        expect(ann, "CCC", "{\"id\":" + bobId + ",\"rtc\":{\"candidate\":\"c\",\"sdpMLineIndex\":0}}");

        send(bob, "SM", "{\"text\":\"hi all\"}");
        expect(ann, "RMK", "{\"text\":\"hi all\"}");
        expect(bob, "RMK", "{\"text\":\"hi all\"}");

        send(bob, "SR", "\"null\"");
        expect(bob, "SRB", "\"Room Not Found Or Player Isn't Host\"");
        send(ann, "SR", "\"null\"");
        expect(ann, "SRK", "\"null\"");
        expect(bob, "SRK", "\"null\"");
        SignalingClient late = register(server, "late");
        send(late, "JR", JSON.writeValueAsString(room));
        expect(late, "JRB", "\"Couldn't Find / Join The Room\"");
        create(late); // refused by the sealed room, it is in no room and may make its own
        ann.expectClose(4000, "Room Cleaned Up");
        bob.expectClose(4000, "Room Cleaned Up");
    }

    @Test
    void refusalsAnswerAndKeepTheConnection() throws Exception {
        SignalingClient early = server.connect("/rooms");
        send(early, "CR", "\"null\"");
        expect(early, "ICB", "\"Register First With ###!RP\"");
        early.sendRaw("{not json");
        assertTrue(expect(early, "ICB").textValue().startsWith("Invalid Message: not JSON"));
        early.sendRaw("{\"command\":\"RP\",\"data\":\"x\"}");
        expect(early, "ICB", "\"Invalid Message: 'command' does not start with ###!\"");
        early.sendBinary(new byte[] {1});
        expect(early, "ICB", "\"Text Frames Only\"");
        send(early, "RP", "42");
        expect(early, "RPB", "\"Invalid Player Data Error\"");
        send(early, "RP", "\"" + "n".repeat(RoomsPeer.MAX_NAME_LENGTH + 1) + "\"");
        expect(early, "RPB", "\"Invalid Player Data Error\"");
        send(early, "RP", "\"eve\"");
        expect(early, "RPK");
        send(early, "RP", "\"eve again\"");
        expect(early, "RPB", "\"Invalid Player Data Error\"");
        send(early, "XY", "null");
        expect(early, "ICB", "\"Command Not Found\"");
        send(early, "SM", "\"hello?\"");
        expect(early, "RMB", "\"Couldn't Send Message\"");
        send(early, "SR", "\"null\"");
        expect(early, "SRB", "\"Room Not Found Or Player Isn't Host\"");
        send(early, "OO", "{\"id\":1}");
        expect(early, "ICB", "\"Not In A Room\"");
        send(early, "JR", "\"no-such-room\"");
        expect(early, "JRB", "\"Couldn't Find / Join The Room\"");
        // Still usable after every refusal: it can create a room now.
        String room = create(early);
        send(early, "CR", "\"null\"");
        expect(early, "CRB", "\"Couldn't Create Room\"");
        send(early, "JR", JSON.writeValueAsString(room));
        expect(early, "JRB", "\"Couldn't Find / Join The Room\"");
        send(early, "SM", "\"\"");
        expect(early, "RMB", "\"Couldn't Send Message\"");
        send(early, "OO", "{\"rtc\":{}}");
        expect(early, "ICB", "\"Invalid Message: 'data' must be an object with a whole-number 'id'\"");
        send(early, "OO", "{\"id\":424242,\"rtc\":{}}");
        expect(early, "ICB", "\"No Such Peer In The Room\"");
        assertTrue(early.isOpen());
    }

    @Test
    void leavingIsAnnouncedAndTheHostLeavingClosesTheRoom() throws Exception {
        SignalingClient host = register(server, "host");
        String room = create(host);
        SignalingClient a = register(server, "a");
        int idA = join(a, room, List.of("host", "a"));
        expect(host, "RPC", String.valueOf(idA));
        SignalingClient b = register(server, "b");
        int idB = join(b, room, List.of("host", "a", "b"));
        expect(host, "RPC", String.valueOf(idB));
        expect(a, "RPC", String.valueOf(idB));

        a.close();
        expect(host, "RPD", String.valueOf(idA));
        expect(b, "RPD", String.valueOf(idA));
        host.close();
        b.expectClose(4000, "Host Disconnected");
    }

    @Test
    void aDroppedConnectionLeavesAtOnceForTheProtocolCannotResume() throws Exception {
        SignalingClient host = register(server, "host");
        String room = create(host);
        SignalingClient a = register(server, "a");
        int idA = join(a, room, List.of("host", "a"));
        expect(host, "RPC", String.valueOf(idA));
        a.disconnect(); // no close frame, with the server's resume window on
        expect(host, "RPD", String.valueOf(idA));
        host.close();
    }

    @Test
    void timeoutsSayPtoThenClose() throws Exception {
        // Long enough that a loaded CI machine registers and creates in time, short enough to wait for.
        try (TestServer quick = new TestServer("--rooms-register-timeout", "1000", "--rooms-enter-timeout", "1000",
                "--rooms-idle-timeout", "2000")) {
            SignalingClient silent = quick.connect("/rooms");
            expect(silent, "PTO", "\"Player Didn't Register In Time\"");
            silent.expectClose(4000, "Player Not Registered");

            SignalingClient roomless = register(quick, "roomless");
            expect(roomless, "PTO", "\"Player Took Too Long To Enter A Room\"");
            roomless.expectClose(4000, "Player AFK In Lobby");

            SignalingClient host = register(quick, "idle-host");
            create(host);
            // entering a room ends the enter deadline: no PTO past it, only the idle close later
            host.expectClose(4000, "Room Is Inactive");
            assertEquals(0, host.pending(), "no PTO came before the idle close");
        }
    }
}

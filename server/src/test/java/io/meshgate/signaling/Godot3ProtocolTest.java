package io.meshgate.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Godot 3's text signaling on /godot3, frame by frame over real sockets, as its webrtc_signaling demo speaks it. */
class Godot3ProtocolTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer("--seal-timeout", "300", "--no-lobby-timeout", "5000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        server.closeClients();
    }

    private static SignalingClient godot3() throws Exception {
        return server.connect("/godot3");
    }

    /** Creates a lobby as Godot 3's client does ("J: \n"); the creator is id 1. */
    private static String create(SignalingClient host) throws Exception {
        host.sendRaw("J: \n");
        assertEquals("I: 1\n", host.nextRaw());
        String joined = host.nextRaw();
        assertTrue(joined.matches("J: [A-Za-z0-9]{16,}\n"), joined);
        return joined.substring(3, joined.length() - 1);
    }

    private static int id(String frame, char command) {
        assertTrue(frame.matches(command + ": [0-9]+\n"), frame);
        return Integer.parseInt(frame.substring(3, frame.length() - 1));
    }

    @Test
    void createJoinRelaySealAsTheGodot3DemoExpects() throws Exception {
        SignalingClient host = godot3();
        String lobby = create(host);
        SignalingClient b = godot3();
        b.sendRaw("J: " + lobby + "\n");
        int idB = id(b.nextRaw(), 'I');
        assertTrue(idB > 1);
        assertEquals("N: 1\n", b.nextRaw());
        assertEquals("J: " + lobby + "\n", b.nextRaw());
        assertEquals("N: " + idB + "\n", host.nextRaw());
        SignalingClient c = godot3();
        c.sendRaw("J: " + lobby + "\n");
        int idC = id(c.nextRaw(), 'I');
        // a mesh: everyone hears of everyone, host shown as 1
        assertEquals("N: 1\n", c.nextRaw());
        assertEquals("N: " + idB + "\n", c.nextRaw());
        assertEquals("J: " + lobby + "\n", c.nextRaw());
        assertEquals("N: " + idC + "\n", host.nextRaw());
        assertEquals("N: " + idC + "\n", b.nextRaw());

        // Godot 3: the lower id offers; the source replaces the destination
        host.sendRaw("O: " + idB + "\nv=0 offer");
        assertEquals("O: 1\nv=0 offer", b.nextRaw());
        b.sendRaw("A: 1\nv=0 answer");
        assertEquals("A: " + idB + "\nv=0 answer", host.nextRaw());
        b.sendRaw("C: " + idC + "\n\n0\n0\ncandidate:1 1 udp 1 10.0.0.2 5000 typ host");
        assertEquals("C: " + idB + "\n\n0\n0\ncandidate:1 1 udp 1 10.0.0.2 5000 typ host", c.nextRaw());

        b.sendRaw("S: \n");
        b.expectClose(4000, "Only host can seal the lobby");
        assertEquals("D: " + idB + "\n", host.nextRaw());
        assertEquals("D: " + idB + "\n", c.nextRaw());
        host.sendRaw("S: \n");
        assertEquals("S: \n", host.nextRaw());
        assertEquals("S: \n", c.nextRaw());
        host.expectClose(1000, "Seal complete");
        c.expectClose(1000, "Seal complete");
    }

    @Test
    void theUrlChoosesWhoHostsWhatAClientCreates() throws Exception {
        SignalingClient peerHosted = server.connect("/godot3?hosting=peer");
        peerHosted.sendRaw("J: \n");
        assertEquals("I: 1\n", peerHosted.nextRaw());
        SignalingClient serverHosted = server.connect("/godot3?hosting=server");
        serverHosted.sendRaw("J: \n");
        int id = id(serverHosted.nextRaw(), 'I');
        assertTrue(id > 1, "the server is peer 1 of a server-hosted lobby, the creator a client");
        assertEquals("N: 1\n", serverHosted.nextRaw());
        for (String bad : new String[] {"/godot3?hosting=cloud", "/godot3?hosting", "/godot3?x=1&hosting=Server"}) {
            server.connect(bad).expectClose(4000, "Invalid hosting, must be server or peer");
        }
    }

    @Test
    void godot3AndGodot4LobbiesDoNotMix() throws Exception {
        // the two engines disagree on who offers, so each dialect sees only its own lobbies
        String godot3Lobby = create(godot3());
        SignalingClient godot4 = server.connect();
        godot4.send(SignalMessage.JOIN, 0, godot3Lobby);
        godot4.expectClose(4000, "Lobby does not exists");
        String godot4Lobby = server.connect().create(true);
        SignalingClient lost = godot3();
        lost.sendRaw("J: " + godot4Lobby + "\n");
        lost.expectClose(4000, "Lobby does not exists");
    }

    @Test
    void badFramesCloseWithTheReferenceReasons() throws Exception {
        SignalingClient binary = godot3();
        binary.sendBinary(new byte[] {1});
        binary.expectClose(4000, "Invalid transfer mode, must be text");
        for (String frame : new String[] {"J: lobby", "X: 1\n", "O: abc\nsdp", "{\"type\":0,\"id\":0,\"data\":\"\"}"}) {
            SignalingClient bad = godot3();
            bad.sendRaw(frame);
            bad.expectClose(4000, "Invalid message format");
        }
        SignalingClient early = godot3();
        early.sendRaw("O: 1\nsdp");
        early.expectClose(4000, "Invalid message when not in a lobby");
        SignalingClient host = godot3();
        String lobby = create(host);
        SignalingClient member = godot3();
        member.sendRaw("J: " + lobby + "\n");
        id(member.nextRaw(), 'I');
        member.sendRaw("O: 424242\nsdp");
        member.expectClose(4000, "Invalid destination");
        host.close();
        SignalingClient orphan = godot3();
        String other = create(orphan);
        SignalingClient guest = godot3();
        guest.sendRaw("J: " + other + "\n");
        id(guest.nextRaw(), 'I');
        orphan.close();
        guest.expectClose(4000, "Room host has disconnected");
    }
}

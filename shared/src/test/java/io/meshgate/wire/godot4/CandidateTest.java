package io.meshgate.wire.godot4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshgate.wire.MalformedMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Godot's candidate form, as webrtc_signaling's multiplayer_client.gd writes it and ws_webrtc_client.gd reads it. */
class CandidateTest {

    private static final String SDP = "candidate:1 1 udp 2122260223 10.213.0.1 50000 typ host generation 0";

    @Test
    void readsAndWritesGodotsForm() throws Exception {
        Candidate candidate = new Candidate("0", 0, SDP);
        assertEquals("\n0\n0\n" + SDP, candidate.encode());
        assertEquals(candidate, Candidate.decode("\n0\n0\n" + SDP));
        assertEquals(new Candidate("data", 12, SDP), Candidate.decode("data\n12\n\n" + SDP + "\n"),
                "empty parts are dropped, as Godot's split does");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "\n0\n0", "\n0\nx\n" + SDP, "\n0\n-1\n" + SDP, "\n0\n12345\n" + SDP,
        "\n0\n0\n" + SDP + "\nextra"})
    void refusesWhatGodotWouldNot(String data) {
        assertThrows(MalformedMessageException.class, () -> Candidate.decode(data));
    }
}

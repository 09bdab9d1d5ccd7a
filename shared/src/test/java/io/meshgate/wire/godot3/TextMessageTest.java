package io.meshgate.wire.godot3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshgate.wire.MalformedMessageException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames as Godot 3's demo client writes them (ws_webrtc_client.gd: "%s: %d\n%s"). */
class TextMessageTest {

    @Test
    void readsWhatTheGodot3ClientSends() throws Exception {
        assertEquals(new TextMessage('J', "", ""), TextMessage.decode("J: \n"));
        assertEquals(new TextMessage('J', "AbC123", ""), TextMessage.decode("J: AbC123\n"));
        assertEquals(new TextMessage('S', "", ""), TextMessage.decode("S: \n"));
        assertEquals(new TextMessage('O', "5", "v=0\r\no=- 1\r\n"), TextMessage.decode("O: 5\nv=0\r\no=- 1\r\n"));
        TextMessage candidate = TextMessage.decode("C: 1\n\n0\n0\ncandidate:1 1 udp 1 10.0.0.1 5000 typ host");
        assertEquals(1, candidate.destination());
        assertEquals("\n0\n0\ncandidate:1 1 udp 1 10.0.0.1 5000 typ host", candidate.payload());
    }

    @Test
    void writesWhatTheGodot3ClientReads() {
        assertEquals("I: 7\n", TextMessage.encode('I', 7, ""));
        assertEquals("S: \n", TextMessage.encode('S', "", ""));
        assertEquals("O: 1\nsdp", TextMessage.encode('O', 1, "sdp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "J: lobby", "J:x\n", "X: 1\n", "I: 5\n", "O: abc\nsdp", "O: \nsdp", "O: 99999999999\n",
        "j: \n", ":\n"})
    void refusesFramesTheServerCannotActOn(String frame) {
        assertThrows(MalformedMessageException.class, () -> TextMessage.decode(frame).destination());
    }

    @Test
    void randomFramesNeverThrowAnythingButMalformed() {
        Random random = new Random(3);
        String alphabet = "JSOACIND: \n-0123456789x";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder frame = new StringBuilder();
            for (int n = random.nextInt(14); n > 0; n--) {
                frame.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                TextMessage message = TextMessage.decode(frame.toString());
                if ("OAC".indexOf(message.command()) >= 0) {
                    message.destination();
                }
            } catch (MalformedMessageException expected) {
                // the only failure allowed
            }
        }
    }
}

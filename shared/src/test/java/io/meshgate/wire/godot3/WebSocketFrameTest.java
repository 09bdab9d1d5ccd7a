package io.meshgate.wire.godot3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.wire.MalformedMessageException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Layouts from Godot 3.2's websocket_multiplayer_peer.cpp (_make_pkt, _send_sys): type, from, to, little-endian. */
class WebSocketFrameTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    @Test
    void encodesTheServersFrames() {
        assertArrayEquals(hex("03" + "01000000" + "00000000" + "05000000"), WebSocketFrame.system(WebSocketFrame.SYS_ID, 5));
        assertArrayEquals(hex("01" + "01000000" + "00000000" + "01000000"), WebSocketFrame.system(WebSocketFrame.SYS_ADD, 1));
        assertArrayEquals(hex("02" + "01000000" + "00000000" + "ffffff7f"),
                WebSocketFrame.system(WebSocketFrame.SYS_DEL, Integer.MAX_VALUE));
        assertArrayEquals(hex("00" + "01000000" + "07000000" + "04" + "cafe"), WebSocketFrame.raw(1, 7, hex("cafe")));
    }

    @Test
    void decodesWhatAClientSends() throws Exception {
        WebSocketFrame frame = WebSocketFrame.decode(hex("00" + "05000000" + "fdffffff" + "04" + "aabb"));
        assertEquals(5, frame.from());
        assertEquals(-3, frame.to());
        assertTrue(frame.isRaw());
        assertArrayEquals(hex("aabb"), frame.rawData());
        WebSocketFrame call = WebSocketFrame.decode(hex("00" + "05000000" + "01000000" + "00" + "aa"));
        assertFalse(call.isRaw(), "an RPC (command 0) is not send_bytes data");
        assertFalse(WebSocketFrame.decode(hex("00" + "05000000" + "01000000")).isRaw(), "an empty payload has no command");
    }

    @Test
    void refusesShortFramesAndServerOnlyTypes() {
        assertThrows(MalformedMessageException.class, () -> WebSocketFrame.decode(hex("0005000000010000")));
        assertThrows(MalformedMessageException.class, () -> WebSocketFrame.decode(new byte[0]));
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> WebSocketFrame.decode(hex("01" + "05000000" + "01000000" + "05000000")));
        assertTrue(e.getMessage().contains("only the server sends"), e.getMessage());
    }
}

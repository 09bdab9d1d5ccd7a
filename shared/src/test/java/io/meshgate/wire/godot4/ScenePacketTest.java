package io.meshgate.wire.godot4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshgate.wire.MalformedMessageException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Byte layouts from Godot 4's scene_multiplayer.cpp (SYS_CMD_SIZE 6, little-endian peer ids). */
class ScenePacketTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    @Test
    void encodesWhatTheEngineExpects() {
        assertArrayEquals(hex("03cafe"), ScenePacket.raw(hex("cafe")));
        assertArrayEquals(hex("0701d2040000"), ScenePacket.addPeer(1234));
        assertArrayEquals(hex("0702ffffff7f"), ScenePacket.delPeer(Integer.MAX_VALUE));
        assertArrayEquals(hex("070305000000" + "03aa"), ScenePacket.fanOut(5, hex("03aa")));
    }

    @Test
    void decodesWhatClientsSend() throws Exception {
        assertEquals(new ScenePacket(ScenePacket.Kind.RAW, 0, hex("0102")), ScenePacket.decode(hex("030102")));
        // send_bytes from a client to another client goes to the server as RELAY with the destination
        assertEquals(new ScenePacket(ScenePacket.Kind.FAN_OUT, 7, hex("0399")), ScenePacket.decode(hex("070307000000" + "0399")));
        assertEquals(new ScenePacket(ScenePacket.Kind.FAN_OUT, 0, hex("0399")), ScenePacket.decode(hex("070300000000" + "0399")));
        assertEquals(new ScenePacket(ScenePacket.Kind.FAN_OUT, -3, hex("03")), ScenePacket.decode(hex("0703fdffffff" + "03")));
        assertEquals(new ScenePacket(ScenePacket.Kind.AUTH, 0, new byte[0]), ScenePacket.decode(hex("0700")));
        assertEquals(ScenePacket.Kind.OTHER, ScenePacket.decode(hex("00112233")).kind()); // an RPC
        assertEquals(ScenePacket.Kind.RAW, ScenePacket.decode(hex("0b01")).kind()); // high bits are flags
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "03", "07", "0701", "0703000000", "070300000000", "07090000000000"})
    void rejectsTruncatedOrUnknown(String packet) {
        assertThrows(MalformedMessageException.class, () -> ScenePacket.decode(hex(packet)));
    }

    @Test
    void randomBytesNeverThrowAnythingElse() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] packet = new byte[random.nextInt(12)];
            random.nextBytes(packet);
            try {
                ScenePacket.decode(packet);
            } catch (MalformedMessageException expected) {
                // the only failure allowed
            }
        }
    }
}

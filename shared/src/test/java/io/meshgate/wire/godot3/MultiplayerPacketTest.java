package io.meshgate.wire.godot3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshgate.wire.MalformedMessageException;
import org.junit.jupiter.api.Test;

class MultiplayerPacketTest {

    @Test
    void rawCarriesSendBytesDataAfterCommandFour() throws Exception {
        byte[] packet = MultiplayerPacket.raw(new byte[] {9, 8, 7});
        assertArrayEquals(new byte[] {4, 9, 8, 7}, packet);
        assertArrayEquals(new byte[] {9, 8, 7}, MultiplayerPacket.rawData(packet));
        assertArrayEquals(new byte[0], MultiplayerPacket.rawData(new byte[] {4}));
    }

    @Test
    void rpcsAreNotDataAndUnknownCommandsAreMalformed() {
        for (int command = 0; command < 4; command++) {
            try {
                assertNull(MultiplayerPacket.rawData(new byte[] {(byte) command, 1, 2}));
            } catch (MalformedMessageException e) {
                throw new AssertionError(e);
            }
        }
        assertThrows(MalformedMessageException.class, () -> MultiplayerPacket.rawData(new byte[0]));
        assertThrows(MalformedMessageException.class, () -> MultiplayerPacket.rawData(new byte[] {5}));
        assertThrows(MalformedMessageException.class, () -> MultiplayerPacket.rawData(new byte[] {(byte) 0x83}));
    }
}

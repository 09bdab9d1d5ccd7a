package io.meshgate.wire.godot3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Game data both ways between Godot 3 and Godot 4 clients. */
class TranslationTest {

    @Test
    void oneVariantIsReencodedBetweenTheTypeTables() throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("move", new Vector2(1, 0.5f));
        message.put("seq", 7L);
        message.put("tags", List.of("a", 2L));
        byte[] godot3 = VariantCodec.GODOT3.encode(message);
        byte[] godot4 = VariantCodec.GODOT4.encode(message);
        assertEquals(false, java.util.Arrays.equals(godot3, godot4), "the engines' encodings differ");
        assertArrayEquals(godot4, Translation.toGodot4(godot3));
        assertArrayEquals(godot3, Translation.toGodot3(godot4));
        assertEquals(message, VariantCodec.GODOT4.decode(Translation.toGodot4(godot3)));
    }

    @Test
    void otherBytesPassUnchanged() {
        byte[] own = {(byte) 0xCA, (byte) 0xFE, 0x01};
        assertArrayEquals(own, Translation.toGodot4(own));
        assertArrayEquals(own, Translation.toGodot3(own));
    }
}

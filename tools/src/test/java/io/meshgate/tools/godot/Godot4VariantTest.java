package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.tools.pck.Pck;
import io.meshgate.wire.variant.Color;
import io.meshgate.wire.variant.Rect2;
import io.meshgate.wire.variant.StringName;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import io.meshgate.wire.variant.Vector2i;
import io.meshgate.wire.variant.Vector3;
import io.meshgate.wire.variant.Vector3i;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Variant codec against the real Godot 4.6 engine (the official web runtime in headless Chromium): the engine's
 * {@code var_to_bytes} must equal our encoding byte for byte, and its {@code bytes_to_var} must read our encodings
 * back to the same values.
 */
class Godot4VariantTest {

    /** The same values, in the same order, as src/test/godot4/variant_check/main.gd. */
    private static List<Object> values() {
        Map<Object, Object> dictionary = new LinkedHashMap<>();
        dictionary.put("a", 1L);
        dictionary.put(2L, "b");
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.addAll(List.of(true, 0L, -1L, 2147483648L, 0.5, 1.0 / 3.0, "héllo", new Vector2(1.5f, -2),
                new Vector2i(1, -2), new Rect2(1, 2, 3, 4), new Vector3(1, 2, 3), new Vector3i(1, 2, 3),
                new Color(0.1f, 0.2f, 0.3f, 0.4f), new StringName("x"), dictionary, List.of(1L, "x", List.of(true)),
                new byte[] {1, 2, 3}, new int[] {1, -2}, new long[] {1}, new float[] {0.5f}, new double[] {0.5},
                new String[] {"a", "bc"}, new Vector2[] {new Vector2(1, 2)}, new Vector3[] {new Vector3(1, 2, 3)},
                new Color[] {new Color(1, 0, 0, 1)}));
        return values;
    }

    @Test
    void godot4EncodesAsWeDoAndReadsWhatWeWrite(@TempDir Path work) throws Exception {
        Path pck = work.resolve("check.pck");
        new Pck(4, 6, 0).addDirectory(Path.of("src/test/godot4/variant_check")).write(pck);
        List<Object> values = values();
        List<String> ours = new ArrayList<>();
        for (Object value : values) {
            ours.add(HexFormat.of().formatHex(VariantCodec.GODOT4.encode(value)));
        }
        List<String> lines = GodotRuntime.run(pck, "CHECK-DONE", 1, ours);
        List<String> encoded = field(lines, "ENCODED|");
        List<String> original = field(lines, "ORIGINAL|");
        List<String> decoded = field(lines, "DECODED|");
        // the engine's table has one more entry: a typed Array[int], which we read but never write
        assertEquals(values.size() + 1, encoded.size(), String.join("\n", lines));
        assertEquals(ours, encoded.subList(0, values.size()), "var_to_bytes, byte for byte");
        assertEquals(List.of(7L), VariantCodec.GODOT4.decode(HexFormat.of().parseHex(encoded.get(values.size()))));
        assertEquals(original.subList(0, values.size()), decoded, "bytes_to_var of our encodings");
    }

    private static List<String> field(List<String> lines, String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int at = line.indexOf(prefix);
            if (at >= 0) {
                out.add(line.substring(at + prefix.length()));
            }
        }
        return out;
    }

    @Test
    void theRuntimeIsTheVerifiedOne() throws Exception {
        Path wasm = GodotRuntime.directory().resolve("index.wasm");
        assertTrue(Files.exists(wasm), "tools/godot4-runtime.sh fetched the runtime");
    }
}

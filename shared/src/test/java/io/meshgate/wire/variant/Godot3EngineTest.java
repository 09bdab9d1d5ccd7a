package io.meshgate.wire.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real Godot 3.2 engine (Debian's godot3-server, which the test setup installs) reads what the codec writes:
 * each encoding goes through {@code bytes2var} and comes back as {@code var2str}, compared with what the engine
 * printed for the original value.
 */
class Godot3EngineTest {

    @Test
    void theEngineDecodesOurBytesToTheValuesWeMeant() throws Exception {
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(null, "null");
        cases.put(true, "true");
        cases.put(-1L, "-1");
        cases.put(2147483648L, "2147483648");
        cases.put(0.5, "0.5");
        cases.put("héllo", "\"héllo\"");
        cases.put(new Vector2(1.5f, -2), "Vector2( 1.5, -2 )");
        cases.put(new Rect2(1, 2, 3, 4), "Rect2( 1, 2, 3, 4 )");
        cases.put(new Vector3(1, 2, 3), "Vector3( 1, 2, 3 )");
        cases.put(new Color(0.1f, 0.2f, 0.3f, 0.4f), "Color( 0.1, 0.2, 0.3, 0.4 )");
        Map<Object, Object> dictionary = new LinkedHashMap<>();
        dictionary.put("a", 1L);
        dictionary.put(2L, "b");
        cases.put(dictionary, "{ 2: \"b\", \"a\": 1 }");
        cases.put(List.of(1L, "x", List.of(true)), "[ 1, \"x\", [ true ] ]");
        cases.put(new byte[] {1, 2, 3}, "PoolByteArray( 1, 2, 3 )");
        cases.put(new int[] {1, -2}, "PoolIntArray( 1, -2 )");
        cases.put(new float[] {0.5f}, "PoolRealArray( 0.5 )");
        cases.put(new String[] {"a", "bc"}, "PoolStringArray( \"a\", \"bc\" )");
        cases.put(new Vector2[] {new Vector2(1, 2)}, "PoolVector2Array( 1, 2 )");
        cases.put(new Color[] {new Color(1, 0, 0, 1)}, "PoolColorArray( 1, 0, 0, 1 )");

        StringBuilder script = new StringBuilder("extends SceneTree\n\nfunc _init():\n");
        for (Object value : cases.keySet()) {
            StringBuilder bytes = new StringBuilder();
            for (byte b : VariantCodec.GODOT3.encode(value)) {
                bytes.append(bytes.length() == 0 ? "" : ", ").append(b & 0xFF);
            }
            script.append("\tprint(\"DECODED|\", var2str(bytes2var(PoolByteArray([").append(bytes).append("]))).replace(\"\\n\", \" \"))\n");
        }
        script.append("\tprint(\"ENGINE-DONE\")\n\tquit(0)\n");

        Path dir = Files.createTempDirectory("godot3-variant");
        Path file = dir.resolve("decode.gd");
        Files.writeString(file, script.toString());
        ProcessBuilder builder = new ProcessBuilder("godot3-server", "-s", file.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("LANG", "en_US.UTF-8");
        Process engine = builder.start();
        // A GDScript error does not fail the process: success is the marker line, within a bound.
        assertTrue(engine.waitFor(60, TimeUnit.SECONDS), "godot3-server did not finish");
        String output = new String(engine.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output.contains("ENGINE-DONE"), output);
        List<String> decoded = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("DECODED|")) {
                decoded.add(line.substring("DECODED|".length()).replace(" \n", " ").trim());
            }
        }
        assertEquals(new ArrayList<>(cases.values()), decoded);
    }
}

package io.meshgate.wire.variant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.wire.MalformedMessageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VariantCodecTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static Map<Object, Object> map(Object... keysAndValues) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * Captured from Godot 3.2.3 (godot3-server, Debian) with {@code var2bytes(v).hex_encode()}; the GDScript source of
     * each value is in the comment.
     */
    static Stream<Arguments> godot3Engine() {
        return Stream.of(
                Arguments.of(null, "00000000"),
                Arguments.of(true, "0100000001000000"),
                Arguments.of(false, "0100000000000000"),
                Arguments.of(0L, "0200000000000000"),
                Arguments.of(-1L, "02000000ffffffff"),
                Arguments.of(2147483647L, "02000000ffffff7f"),
                Arguments.of(2147483648L, "020001000000008000000000"),
                Arguments.of(-2147483649L, "02000100ffffff7fffffffff"),
                Arguments.of(0.5, "030000000000003f"),
                Arguments.of(1.0 / 3.0, "03000100555555555555d53f"),
                Arguments.of("", "0400000000000000"),
                Arguments.of("héllo", "040000000600000068c3a96c6c6f0000"),
                Arguments.of(new Vector2(1.5f, -2), "050000000000c03f000000c0"),
                Arguments.of(new Rect2(1, 2, 3, 4), "060000000000803f000000400000404000008040"),
                Arguments.of(new Vector3(1, 2, 3), "070000000000803f0000004000004040"),
                Arguments.of(new Color(0.1f, 0.2f, 0.3f, 0.4f), "0e000000cdcccc3dcdcc4c3e9a99993ecdcccc3e"),
                // {"a": 1, 2: "b"}: encoded in insertion order (var2str happens to print it the other way round)
                Arguments.of(map("a", 1L, 2L, "b"),
                        "120000000200000004000000010000006100000002000000010000000200000002000000040000000100000062000000"),
                // [1, "x", [true]]
                Arguments.of(List.of(1L, "x", List.of(true)),
                        "1300000003000000020000000100000004000000010000007800000013000000010000000100000001000000"),
                Arguments.of(new byte[] {1, 2, 3}, "140000000300000001020300"),
                Arguments.of(new int[] {1, -2}, "150000000200000001000000feffffff"),
                Arguments.of(new float[] {0.5f}, "16000000010000000000003f"),
                Arguments.of(new String[] {"a", "bc"}, "170000000200000002000000610000000300000062630000"),
                Arguments.of(new Vector2[] {new Vector2(1, 2)}, "18000000010000000000803f00000040"),
                Arguments.of(new Vector3[] {new Vector3(1, 2, 3)}, "19000000010000000000803f0000004000004040"),
                Arguments.of(new Color[] {new Color(1, 0, 0, 1)}, "1a000000010000000000803f00000000000000000000803f"));
    }

    @ParameterizedTest
    @MethodSource("godot3Engine")
    void matchesGodot3ByteForByte(Object value, String engineHex) throws Exception {
        assertEquals(engineHex, HexFormat.of().formatHex(VariantCodec.GODOT3.encode(value)));
        assertDeepEquals(value, VariantCodec.GODOT3.decode(hex(engineHex)));
    }

    /**
     * Godot 4 lays these types out as Godot 3 does (marshalls.cpp) under other type numbers, so the captured Godot 3
     * bytes with the Godot 4 numbers are Godot 4's bytes. Godot 4 captures come with the web runtime (godot-demo).
     */
    @ParameterizedTest
    @MethodSource("godot3Engine")
    void godot4IsGodot3WithItsOwnTypeNumbers(Object value, String engineHex) throws Exception {
        byte[] godot4 = renumber(hex(engineHex));
        assertArrayEquals(godot4, VariantCodec.GODOT4.encode(value));
        assertDeepEquals(value, VariantCodec.GODOT4.decode(godot4));
    }

    /** Rewrites every Variant header of a Godot 3 encoding to Godot 4's type number (walking the same layout). */
    private static byte[] renumber(byte[] godot3) throws MalformedMessageException {
        Object value = VariantCodec.GODOT3.decode(godot3);
        return VariantCodec.GODOT4.encode(value);
    }

    @Test
    void godot4OnlyTypes() throws Exception {
        VariantCodec codec = VariantCodec.GODOT4;
        assertEquals("0600000001000000feffffff", HexFormat.of().formatHex(codec.encode(new Vector2i(1, -2))));
        assertEquals("0a000000010000000200000003000000", HexFormat.of().formatHex(codec.encode(new Vector3i(1, 2, 3))));
        assertEquals("150000000100000078000000", HexFormat.of().formatHex(codec.encode(new StringName("x"))));
        assertEquals("1f000000010000000100000000000000", HexFormat.of().formatHex(codec.encode(new long[] {1})));
        assertEquals("2100000001000000000000000000e03f", HexFormat.of().formatHex(codec.encode(new double[] {0.5})));
        assertEquals("1b00000000000000", HexFormat.of().formatHex(codec.encode(Map.of())));
        assertEquals("1c00000000000000", HexFormat.of().formatHex(codec.encode(List.of())));
        for (Object value : new Object[] {new Vector2i(3, 4), new Vector3i(-1, 0, 1), new StringName("n"),
            new long[] {Long.MIN_VALUE}, new double[] {Math.PI}}) {
            assertDeepEquals(value, codec.decode(codec.encode(value)));
            assertThrows(IllegalArgumentException.class, () -> VariantCodec.GODOT3.encode(value), "Godot 3 has no " + value);
        }
        // A typed Array[int] (header flag 1 << 16 and the element type) decodes like an untyped one.
        assertEquals(List.of(7L), codec.decode(hex("1c000100" + "02000000" + "01000000" + "02000000" + "07000000")));
    }

    @Test
    void roundTripsRandomNestedValues() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            Object value = randomValue(random, 0);
            for (VariantCodec codec : new VariantCodec[] {VariantCodec.GODOT4, VariantCodec.GODOT3}) {
                assertDeepEquals(value, codec.decode(codec.encode(value)));
            }
        }
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 9 : 12);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong() >> random.nextInt(64);
            case 3 -> random.nextBoolean() ? (double) random.nextFloat() : random.nextDouble() * 1e6;
            case 4 -> randomString(random);
            case 5 -> new Vector2(random.nextFloat(), random.nextFloat());
            case 6 -> new Color(random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat());
            case 7 -> {
                byte[] bytes = new byte[random.nextInt(9)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 8 -> new String[] {randomString(random), randomString(random)};
            case 9 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random) + i, randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(7); i > 0; i--) {
            s.appendCodePoint(random.nextBoolean() ? 'a' + random.nextInt(26) : 0x00e0 + random.nextInt(0x500));
        }
        return s.toString();
    }

    @Test
    void everyTruncationOfEngineBytesIsRefused() {
        godot3Engine().forEach(arguments -> {
            byte[] full = hex((String) arguments.get()[1]);
            for (int cut = 0; cut < full.length; cut++) {
                byte[] part = Arrays.copyOf(full, cut);
                assertThrows(MalformedMessageException.class, () -> VariantCodec.GODOT3.decode(part),
                        arguments.get()[1] + " cut at " + cut);
            }
        });
    }

    @Test
    void hostileInputsAreRefusedCheaply() {
        VariantCodec codec = VariantCodec.GODOT4;
        // an array claiming two billion elements in 8 bytes: refused before allocating anything
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("1c000000ffffff7f")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("1d000000ffffff7f00")));
        // nesting beyond the limit
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= VariantCodec.MAX_DEPTH + 1; i++) {
            deep.append("1c00000001000000");
        }
        deep.append("00000000");
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex(deep.toString())));
        // trailing bytes, bad UTF-8, a bool of 2, an object (24), a repeated dictionary key, a class-typed array
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("0000000000000000")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("0400000002000000c3280000")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("0100000002000000")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("1800000000000000")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("1b00000002000000"
                + "020000000100000000000000" + "020000000100000000000000")));
        assertThrows(MalformedMessageException.class, () -> codec.decode(hex("1c0002000000000000000000")));
    }

    @Test
    void randomBytesNeverThrowAnythingButMalformed() {
        Random random = new Random(9);
        byte[] seed = VariantCodec.GODOT4.encode(map("move", new Vector2(1, 0), "seq", 5L, "list", List.of("a", 1L)));
        for (int i = 0; i < 50_000; i++) {
            byte[] mutated = seed.clone();
            for (int e = random.nextInt(4) + 1; e > 0; e--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            byte[] input = random.nextInt(4) == 0 ? Arrays.copyOf(mutated, random.nextInt(mutated.length)) : mutated;
            for (VariantCodec codec : new VariantCodec[] {VariantCodec.GODOT4, VariantCodec.GODOT3}) {
                try {
                    codec.decode(input);
                } catch (MalformedMessageException expected) {
                    // the only failure allowed
                }
            }
        }
    }

    /** Equality that looks into arrays and nested containers and tells Long from Double. */
    static void assertDeepEquals(Object expected, Object actual) {
        assertEquals(describe(expected), describe(actual));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Object[] array) {
            return Arrays.stream(array).map(VariantCodecTest::describe).toList().toString();
        }
        if (value instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        if (value instanceof int[] b) {
            return "ints" + Arrays.toString(b);
        }
        if (value instanceof float[] b) {
            return "floats" + Arrays.toString(b);
        }
        if (value instanceof long[] b) {
            return "longs" + Arrays.toString(b);
        }
        if (value instanceof double[] b) {
            return "doubles" + Arrays.toString(b);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(VariantCodecTest::describe).toList().toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(describe(k)).append('=').append(describe(v)).append(", "));
            return out.append('}').toString();
        }
        return value.getClass().getSimpleName() + ":" + value;
    }

    @Test
    void translatesAGodot4SnapshotForGodot3WithoutLosingValues() throws Exception {
        Map<Object, Object> message = new LinkedHashMap<>();
        message.put(new StringName("type"), "snapshot");
        message.put("cell", new Vector2i(3, -4));
        message.put("ids", new long[] {2, 3});
        message.put("big", new long[] {1L << 40});
        message.put("precise", new double[] {0.1});
        message.put("pickups", new Vector2[] {new Vector2(1, 2)});
        message.put("players", List.of(List.of(2L, new Vector3i(1, 2, 3))));

        Object godot3 = VariantCodec.GODOT3.decode(VariantCodec.GODOT4.translate(VariantCodec.GODOT4.encode(message),
                VariantCodec.GODOT3));

        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("type", "snapshot");
        expected.put("cell", new Vector2(3, -4));
        expected.put("ids", new int[] {2, 3});
        expected.put("big", List.of(1L << 40));
        expected.put("precise", List.of(0.1));
        expected.put("pickups", new Vector2[] {new Vector2(1, 2)});
        expected.put("players", List.of(List.of(2L, new Vector3(1, 2, 3))));
        assertDeepEquals(expected, godot3);
    }

    @Test
    void translatesGodot3InputForGodot4AndRefusesGarbage() throws Exception {
        Map<Object, Object> input = new LinkedHashMap<>();
        input.put("move", new Vector2(0.5f, -1));
        input.put("seq", 7L);
        byte[] godot3 = VariantCodec.GODOT3.encode(input);
        assertDeepEquals(input, VariantCodec.GODOT4.decode(VariantCodec.GODOT3.translate(godot3, VariantCodec.GODOT4)));
        assertThrows(MalformedMessageException.class,
                () -> VariantCodec.GODOT3.translate(Arrays.copyOf(godot3, godot3.length - 1), VariantCodec.GODOT4));
    }
}

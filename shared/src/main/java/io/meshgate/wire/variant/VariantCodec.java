package io.meshgate.wire.variant;

import io.meshgate.wire.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Godot's binary Variant serialization ({@code var_to_bytes} / {@code bytes_to_var} in Godot 4, {@code var2bytes} /
 * {@code bytes2var} in Godot 3), for the types a game message needs. One instance per engine version: the two number
 * their types differently.
 *
 * <p>Java values: null (NIL), Boolean, Long (INT; Integer, Short and Byte encode too), Double (FLOAT/REAL; Float
 * encodes too), String, {@link StringName}, {@link Vector2}, {@link Vector2i}, {@link Vector3}, {@link Vector3i},
 * {@link Rect2}, {@link Color}, {@code List<?>} (ARRAY), {@code Map<?, ?>} (DICTIONARY, insertion order kept),
 * byte[], int[], long[], float[], double[], String[], Vector2[], Vector3[], Color[] (the packed arrays).
 *
 * <p>Decoding is strict: every length is checked against what remains, nesting is bounded, the input must be consumed
 * exactly, strings must be valid UTF-8, and types this codec does not carry (objects, callables, node paths, ...) are
 * refused with a {@link MalformedMessageException} naming them.
 */
public final class VariantCodec {

    /** Godot 4's Variant::Type numbers. */
    public static final VariantCodec GODOT4 = new VariantCodec(true);
    /** Godot 3's Variant::Type numbers. */
    public static final VariantCodec GODOT3 = new VariantCodec(false);

    /** Deeper nesting than this is refused: game messages are shallow, hostile ones need not be. */
    public static final int MAX_DEPTH = 64;

    private static final int FLAG_64 = 1 << 16;
    private static final int TYPED_MASK = 0b11;
    private static final int TYPED_BUILTIN = 1;

    // Type numbers; -1 where the engine version has no such type.
    private final boolean godot4;
    private final int tNil = 0;
    private final int tBool = 1;
    private final int tInt = 2;
    private final int tFloat = 3;
    private final int tString = 4;
    private final int tVector2 = 5;
    private final int tVector2i;
    private final int tRect2;
    private final int tVector3;
    private final int tVector3i;
    private final int tColor;
    private final int tStringName;
    private final int tDictionary;
    private final int tArray;
    private final int tBytes;
    private final int tInt32s;
    private final int tInt64s;
    private final int tFloat32s;
    private final int tFloat64s;
    private final int tStrings;
    private final int tVector2s;
    private final int tVector3s;
    private final int tColors;

    private VariantCodec(boolean godot4) {
        this.godot4 = godot4;
        if (godot4) {
            tVector2i = 6;
            tRect2 = 7;
            tVector3 = 9;
            tVector3i = 10;
            tColor = 20;
            tStringName = 21;
            tDictionary = 27;
            tArray = 28;
            tBytes = 29;
            tInt32s = 30;
            tInt64s = 31;
            tFloat32s = 32;
            tFloat64s = 33;
            tStrings = 34;
            tVector2s = 35;
            tVector3s = 36;
            tColors = 37;
        } else {
            tVector2i = -1;
            tRect2 = 6;
            tVector3 = 7;
            tVector3i = -1;
            tColor = 14;
            tStringName = -1;
            tDictionary = 18;
            tArray = 19;
            tBytes = 20;
            tInt32s = 21;
            tInt64s = -1;
            tFloat32s = 22;
            tFloat64s = -1;
            tStrings = 23;
            tVector2s = 24;
            tVector3s = 25;
            tColors = 26;
        }
    }

    private String engine() {
        return godot4 ? "Godot 4" : "Godot 3";
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes {@code value} as the engine's {@code var_to_bytes} does; throws for values it cannot carry. */
    public byte[] encode(Object value) {
        Writer out = new Writer();
        write(out, value, 0);
        return out.toByteArray();
    }

    private void write(Writer out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.u32(tNil);
        } else if (value instanceof Boolean b) {
            out.u32(tBool);
            out.u32(b ? 1 : 0);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                out.u32(tInt);
                out.u32((int) n);
            } else {
                out.u32(tInt | FLAG_64);
                out.u64(n);
            }
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            float f = (float) d;
            if ((double) f == d || Double.isNaN(d)) {
                out.u32(tFloat);
                out.f32(f);
            } else {
                out.u32(tFloat | FLAG_64);
                out.f64(d);
            }
        } else if (value instanceof String s) {
            out.u32(tString);
            out.string(s);
        } else if (value instanceof StringName s) {
            out.u32(require(tStringName, "StringName"));
            out.string(s.value());
        } else if (value instanceof Vector2 v) {
            out.u32(tVector2);
            out.f32(v.x());
            out.f32(v.y());
        } else if (value instanceof Vector2i v) {
            out.u32(require(tVector2i, "Vector2i"));
            out.u32(v.x());
            out.u32(v.y());
        } else if (value instanceof Vector3 v) {
            out.u32(tVector3);
            out.f32(v.x());
            out.f32(v.y());
            out.f32(v.z());
        } else if (value instanceof Vector3i v) {
            out.u32(require(tVector3i, "Vector3i"));
            out.u32(v.x());
            out.u32(v.y());
            out.u32(v.z());
        } else if (value instanceof Rect2 r) {
            out.u32(tRect2);
            out.f32(r.x());
            out.f32(r.y());
            out.f32(r.width());
            out.f32(r.height());
        } else if (value instanceof Color c) {
            out.u32(tColor);
            color(out, c);
        } else if (value instanceof Map<?, ?> map) {
            out.u32(tDictionary);
            out.u32(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                write(out, entry.getKey(), depth + 1);
                write(out, entry.getValue(), depth + 1);
            }
        } else if (value instanceof List<?> list) {
            out.u32(tArray);
            out.u32(list.size());
            for (Object item : list) {
                write(out, item, depth + 1);
            }
        } else if (value instanceof byte[] bytes) {
            out.u32(tBytes);
            out.u32(bytes.length);
            out.bytes(bytes);
            out.pad(bytes.length);
        } else if (value instanceof int[] ints) {
            out.u32(tInt32s);
            out.u32(ints.length);
            for (int n : ints) {
                out.u32(n);
            }
        } else if (value instanceof long[] longs) {
            out.u32(require(tInt64s, "PackedInt64Array"));
            out.u32(longs.length);
            for (long n : longs) {
                out.u64(n);
            }
        } else if (value instanceof float[] floats) {
            out.u32(tFloat32s);
            out.u32(floats.length);
            for (float f : floats) {
                out.f32(f);
            }
        } else if (value instanceof double[] doubles) {
            out.u32(require(tFloat64s, "PackedFloat64Array"));
            out.u32(doubles.length);
            for (double d : doubles) {
                out.f64(d);
            }
        } else if (value instanceof String[] strings) {
            out.u32(tStrings);
            out.u32(strings.length);
            for (String s : strings) {
                out.terminatedString(s);
            }
        } else if (value instanceof Vector2[] vectors) {
            out.u32(tVector2s);
            out.u32(vectors.length);
            for (Vector2 v : vectors) {
                out.f32(v.x());
                out.f32(v.y());
            }
        } else if (value instanceof Vector3[] vectors) {
            out.u32(tVector3s);
            out.u32(vectors.length);
            for (Vector3 v : vectors) {
                out.f32(v.x());
                out.f32(v.y());
                out.f32(v.z());
            }
        } else if (value instanceof Color[] colors) {
            out.u32(tColors);
            out.u32(colors.length);
            for (Color c : colors) {
                color(out, c);
            }
        } else {
            throw new IllegalArgumentException("no " + engine() + " Variant for " + value.getClass().getName());
        }
    }

    /**
     * Re-encodes one Variant of this engine version for {@code target}, as a server between a Godot 4 game and a
     * Godot 3 client needs. Types Godot 3 lacks become their nearest Godot 3 type: StringName a String, Vector2i and
     * Vector3i the float vectors, PackedInt64Array a PoolIntArray (or an Array when a value needs 64 bits) and
     * PackedFloat64Array an Array of floats, so no value is lost. Throws if {@code data} is not one valid Variant.
     */
    public byte[] translate(byte[] data, VariantCodec target) throws MalformedMessageException {
        return translateVariant(data, target);
    }

    /**
     * {@link #translate} for a game's packet: data that is one Variant is re-encoded, and anything else (the game's
     * own byte format) passes unchanged, since only the game can read it.
     */
    public byte[] translateIfVariant(byte[] data, VariantCodec target) {
        try {
            return translateVariant(data, target);
        } catch (MalformedMessageException | IllegalArgumentException notOneVariant) {
            return data;
        }
    }

    private byte[] translateVariant(byte[] data, VariantCodec target) throws MalformedMessageException {
        Object value = decode(data);
        return target.encode(target.godot4 ? value : forGodot3(value));
    }

    private static Object forGodot3(Object value) {
        if (value instanceof StringName s) {
            return s.value();
        } else if (value instanceof Vector2i v) {
            return new Vector2(v.x(), v.y());
        } else if (value instanceof Vector3i v) {
            return new Vector3(v.x(), v.y(), v.z());
        } else if (value instanceof long[] longs) {
            if (Arrays.stream(longs).allMatch(n -> n == (int) n)) {
                return Arrays.stream(longs).mapToInt(n -> (int) n).toArray();
            }
            return Arrays.stream(longs).boxed().toList();
        } else if (value instanceof double[] doubles) {
            return Arrays.stream(doubles).boxed().toList();
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(forGodot3(item));
            }
            return copy;
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                copy.put(forGodot3(entry.getKey()), forGodot3(entry.getValue()));
            }
            return copy;
        }
        return value;
    }

    private int require(int type, String name) {
        if (type < 0) {
            throw new IllegalArgumentException(engine() + " has no " + name);
        }
        return type;
    }

    private static void color(Writer out, Color c) {
        out.f32(c.r());
        out.f32(c.g());
        out.f32(c.b());
        out.f32(c.a());
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes exactly one Variant that fills {@code data}, as the engine's {@code bytes_to_var} would. */
    public Object decode(byte[] data) throws MalformedMessageException {
        Reader in = new Reader(data);
        Object value = read(in, 0);
        if (in.remaining() != 0) {
            throw new MalformedMessageException(in.remaining() + " bytes after the Variant");
        }
        return value;
    }

    private Object read(Reader in, int depth) throws MalformedMessageException {
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException("nested deeper than " + MAX_DEPTH);
        }
        int header = in.u32();
        int type = header & 0xFF;
        int flags = header >>> 16;
        boolean wide = (flags & 1) != 0;
        if (type == tNil) {
            return null;
        } else if (type == tBool) {
            int b = in.u32();
            if (b != 0 && b != 1) {
                throw new MalformedMessageException("bool of " + b);
            }
            return b == 1;
        } else if (type == tInt) {
            return wide ? in.u64() : (long) in.u32();
        } else if (type == tFloat) {
            return wide ? in.f64() : (double) in.f32();
        } else if (type == tString) {
            return in.string();
        } else if (type == tStringName) {
            return new StringName(in.string());
        } else if (type == tVector2) {
            noWide(wide, "Vector2");
            return new Vector2(in.f32(), in.f32());
        } else if (type == tVector2i) {
            return new Vector2i(in.u32(), in.u32());
        } else if (type == tVector3) {
            noWide(wide, "Vector3");
            return new Vector3(in.f32(), in.f32(), in.f32());
        } else if (type == tVector3i) {
            return new Vector3i(in.u32(), in.u32(), in.u32());
        } else if (type == tRect2) {
            noWide(wide, "Rect2");
            return new Rect2(in.f32(), in.f32(), in.f32(), in.f32());
        } else if (type == tColor) {
            return new Color(in.f32(), in.f32(), in.f32(), in.f32());
        } else if (type == tDictionary) {
            if (godot4) {
                typedContainer(in, flags & TYPED_MASK, "dictionary key");
                typedContainer(in, (flags >>> 2) & TYPED_MASK, "dictionary value");
            }
            int count = in.count(8);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Object key = read(in, depth + 1);
                Object value = read(in, depth + 1);
                if (map.containsKey(key)) {
                    throw new MalformedMessageException("dictionary repeats key " + key);
                }
                map.put(key, value);
            }
            return map;
        } else if (type == tArray) {
            if (godot4) {
                typedContainer(in, flags & TYPED_MASK, "array");
            }
            int count = in.count(4);
            List<Object> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(read(in, depth + 1));
            }
            return list;
        } else if (type == tBytes) {
            int length = in.count(1);
            byte[] bytes = in.bytes(length);
            in.skipPad(length);
            return bytes;
        } else if (type == tInt32s) {
            int[] ints = new int[in.count(4)];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = in.u32();
            }
            return ints;
        } else if (type == tInt64s) {
            long[] longs = new long[in.count(8)];
            for (int i = 0; i < longs.length; i++) {
                longs[i] = in.u64();
            }
            return longs;
        } else if (type == tFloat32s) {
            float[] floats = new float[in.count(4)];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = in.f32();
            }
            return floats;
        } else if (type == tFloat64s) {
            double[] doubles = new double[in.count(8)];
            for (int i = 0; i < doubles.length; i++) {
                doubles[i] = in.f64();
            }
            return doubles;
        } else if (type == tStrings) {
            String[] strings = new String[in.count(4)];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = in.terminatedString();
            }
            return strings;
        } else if (type == tVector2s) {
            Vector2[] vectors = new Vector2[in.count(8)];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = new Vector2(in.f32(), in.f32());
            }
            return vectors;
        } else if (type == tVector3s) {
            Vector3[] vectors = new Vector3[in.count(12)];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = new Vector3(in.f32(), in.f32(), in.f32());
            }
            return vectors;
        } else if (type == tColors) {
            Color[] colors = new Color[in.count(16)];
            for (int i = 0; i < colors.length; i++) {
                colors[i] = new Color(in.f32(), in.f32(), in.f32(), in.f32());
            }
            return colors;
        }
        throw new MalformedMessageException("unsupported " + engine() + " Variant type " + type);
    }

    private static void noWide(boolean wide, String what) throws MalformedMessageException {
        if (wide) {
            throw new MalformedMessageException("64-bit " + what + " (double-precision engine builds) is not supported");
        }
    }

    /** Godot 4 typed containers carry their element type after the header; only built-in types are accepted. */
    private static void typedContainer(Reader in, int kind, String what) throws MalformedMessageException {
        if (kind == 0) {
            return;
        }
        if (kind != TYPED_BUILTIN) {
            throw new MalformedMessageException("typed " + what + " of a class or script is not supported");
        }
        int elementType = in.u32();
        if (elementType < 0 || elementType > 38) {
            throw new MalformedMessageException("typed " + what + " of unknown type " + elementType);
        }
    }

    // ---------------------------------------------------------------- bytes

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u32(int value) {
            out.write(scratch.clear().putInt(value).array(), 0, 4);
        }

        void u64(long value) {
            out.write(scratch.clear().putLong(value).array(), 0, 8);
        }

        void f32(float value) {
            u32(Float.floatToRawIntBits(value));
        }

        void f64(double value) {
            u64(Double.doubleToRawLongBits(value));
        }

        void bytes(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
        }

        void pad(int length) {
            for (int i = length; i % 4 != 0; i++) {
                out.write(0);
            }
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u32(utf8.length);
            bytes(utf8);
            pad(utf8.length);
        }

        /** Packed string array elements count and carry a NUL terminator, unlike plain Strings. */
        void terminatedString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u32(utf8.length + 1);
            bytes(utf8);
            out.write(0);
            pad(utf8.length + 1);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] data) {
            in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        int remaining() {
            return in.remaining();
        }

        private void need(long bytes) throws MalformedMessageException {
            if (bytes > in.remaining()) {
                throw new MalformedMessageException("truncated: needs " + bytes + " bytes, " + in.remaining() + " left");
            }
        }

        int u32() throws MalformedMessageException {
            need(4);
            return in.getInt();
        }

        long u64() throws MalformedMessageException {
            need(8);
            return in.getLong();
        }

        float f32() throws MalformedMessageException {
            need(4);
            return in.getFloat();
        }

        double f64() throws MalformedMessageException {
            need(8);
            return in.getDouble();
        }

        /** An element count, checked against the bytes left so a lying count cannot make us allocate. */
        int count(int minimumElementBytes) throws MalformedMessageException {
            long count = u32() & 0x7FFFFFFFL; // bit 31 is Godot's "shared" flag
            need(count * minimumElementBytes);
            return (int) count;
        }

        byte[] bytes(int length) throws MalformedMessageException {
            need(length);
            byte[] bytes = new byte[length];
            in.get(bytes);
            return bytes;
        }

        void skipPad(int length) throws MalformedMessageException {
            int pad = (4 - length % 4) % 4;
            need(pad);
            in.position(in.position() + pad);
        }

        String string() throws MalformedMessageException {
            int length = count(1);
            byte[] utf8 = bytes(length);
            skipPad(length);
            return utf8(utf8, length);
        }

        String terminatedString() throws MalformedMessageException {
            int length = count(1);
            byte[] utf8 = bytes(length);
            skipPad(length);
            return utf8(utf8, length > 0 && utf8[length - 1] == 0 ? length - 1 : length);
        }

        private static String utf8(byte[] bytes, int length) throws MalformedMessageException {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new MalformedMessageException("string is not UTF-8");
            }
        }
    }
}

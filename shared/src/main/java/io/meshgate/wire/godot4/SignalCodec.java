package io.meshgate.wire.godot4;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.meshgate.wire.MalformedMessageException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes and encodes Godot 4 signaling messages.
 *
 * <p>Decoding is stricter than Godot's Node server, which floors any number and turns a non-string {@code data} into
 * {@code ""}: here {@code type} and {@code id} must be integral numbers in 0..2^31-1, {@code data} must be a string
 * when present, keys must not repeat and nothing may follow the object. Unknown keys are ignored so that clients can
 * add fields without breaking older servers. A missing {@code data} reads as {@code ""}, as in the reference. The one
 * key Meshgate reads besides those three is {@code game} (see {@link SignalMessage#game}), a string when present.
 */
public final class SignalCodec {

    /** Deep nesting can only come from a hostile client: Godot's messages are flat. */
    private static final int MAX_NESTING_DEPTH = 8;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private SignalCodec() {
    }

    /** Parses one text frame; throws with a description of the first problem found. */
    public static SignalMessage decode(String text) throws MalformedMessageException {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("not a JSON object");
            }
            long type = -1;
            long id = -1;
            String data = null;
            String game = null;
            String name = "";
            Map<String, String> meta = Map.of();
            Map<String, Object> options = Map.of();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = integral(parser, value, field);
                    case "id" -> id = integral(parser, value, field);
                    case "data" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new MalformedMessageException("'data' must be a string, got " + describe(value));
                        }
                        data = parser.getText();
                    }
                    case "game" -> {
                        game = string(parser, value, field);
                        if (game.isEmpty() || game.length() > Join.MAX_GAME) {
                            throw new MalformedMessageException("'game' must be 1 to " + Join.MAX_GAME + " characters");
                        }
                    }
                    case "name" -> name = Join.checkName(string(parser, value, field));
                    case "meta" -> meta = meta(parser, value);
                    case "options" -> options = options(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new MalformedMessageException("unterminated object");
            }
            if (parser.nextToken() != null) {
                throw new MalformedMessageException("content after the object");
            }
            if (type < 0) {
                throw new MalformedMessageException("missing 'type'");
            }
            if (id < 0) {
                throw new MalformedMessageException("missing 'id'");
            }
            Join join = game == null && name.isEmpty() && meta.isEmpty() && options.isEmpty() ? Join.NONE
                    : new Join(game, name, meta, options);
            return new SignalMessage((int) type, (int) id, data == null ? "" : data, join);
        } catch (IOException e) {
            throw new MalformedMessageException("invalid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String string(JsonParser parser, JsonToken value, String field)
            throws IOException, MalformedMessageException {
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedMessageException("'" + field + "' must be a string, got " + describe(value));
        }
        return parser.getText();
    }

    /** {@code meta}: an object of strings, bounded. */
    private static Map<String, String> meta(JsonParser parser, JsonToken value)
            throws IOException, MalformedMessageException {
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedMessageException("'meta' must be an object, got " + describe(value));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Join.checkKey("meta", key, meta.size());
            String text = string(parser, parser.nextToken(), "meta." + key);
            if (text.length() > Join.MAX_META_VALUE) {
                throw new MalformedMessageException("'meta' values are at most " + Join.MAX_META_VALUE + " characters");
            }
            meta.put(key, text);
        }
        return meta;
    }

    /** {@code options}: an object of strings, numbers and booleans, bounded; numbers as Long or Double. */
    private static Map<String, Object> options(JsonParser parser, JsonToken value)
            throws IOException, MalformedMessageException {
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedMessageException("'options' must be an object, got " + describe(value));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Join.checkKey("options", key, options.size());
            JsonToken token = parser.nextToken();
            Object option = switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_TRUE, VALUE_FALSE -> token == JsonToken.VALUE_TRUE;
                case VALUE_NUMBER_INT -> {
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        throw new MalformedMessageException("'options." + key + "' is out of range");
                    }
                    yield parser.getLongValue();
                }
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                default -> throw new MalformedMessageException("'options' values must be strings, numbers or "
                        + "booleans, got " + describe(token));
            };
            if (option instanceof String text && text.length() > Join.MAX_OPTION_VALUE) {
                throw new MalformedMessageException("'options' strings are at most " + Join.MAX_OPTION_VALUE
                        + " characters");
            }
            options.put(key, option);
        }
        return options;
    }

    private static long integral(JsonParser parser, JsonToken value, String field)
            throws IOException, MalformedMessageException {
        double number;
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() != JsonParser.NumberType.INT && parser.getNumberType() != JsonParser.NumberType.LONG) {
                throw new MalformedMessageException("'" + field + "' out of range");
            }
            long n = parser.getLongValue();
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new MalformedMessageException("'" + field + "' out of range: " + n);
            }
            return n;
        } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            // Godot's JSON and many JS encoders may write 4.0 for 4; a fraction is a client bug.
            number = parser.getDoubleValue();
            if (number != Math.rint(number) || number < 0 || number > Integer.MAX_VALUE) {
                throw new MalformedMessageException("'" + field + "' must be a whole number in 0..2^31-1, got " + number);
            }
            return (long) number;
        }
        throw new MalformedMessageException("'" + field + "' must be a number, got " + describe(value));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> String.valueOf(token);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Encodes a message exactly as Godot's own server does: all three keys, {@code data} always a string. */
    public static String encode(int type, int id, String data) {
        StringBuilder out = new StringBuilder(32 + data.length());
        out.append("{\"type\":").append(type).append(",\"id\":").append(id).append(",\"data\":\"");
        appendEscaped(out, data);
        return out.append("\"}").toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Appends {@code text} as the inside of a JSON string. Copies the runs between characters that need escaping in
     * bulk: forwarding signaling is dominated by this call, and per-character escaping was a third of the server's time.
     */
    static void appendEscaped(StringBuilder out, String text) {
        int run = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(text, run, length);
    }

    public static String encode(SignalMessage message) {
        return encode(message.type(), message.id(), message.data());
    }
}

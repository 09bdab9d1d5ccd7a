package io.meshgate.wire.godot4;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.meshgate.wire.IceServer;
import io.meshgate.wire.MalformedMessageException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
            boolean listed = false;
            boolean unlisted = false;
            String code = null;
            String seat = null;
            String resume = null;
            Map<String, String> label = Map.of();
            boolean free = false;
            long after = 0;
            long limit = Query.DEFAULT_LIMIT;
            Map<String, String> properties = Map.of();
            double skill = 0;
            long min = 2;
            long max = 2;
            long countMultiple = 1;
            String party = null;
            long partySize = 1;
            boolean peerHosted = false;
            boolean mesh = false;
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
                    case "meta" -> meta = strings(parser, value, field);
                    case "options" -> options = options(parser, value);
                    case "public" -> listed = bool(value, field);
                    case "private" -> unlisted = bool(value, field);
                    case "code" -> {
                        code = string(parser, value, field);
                        if (code.isEmpty() || code.length() > Join.MAX_CODE) {
                            throw new MalformedMessageException("'code' must be 1 to " + Join.MAX_CODE + " characters");
                        }
                    }
                    case "seat" -> {
                        seat = string(parser, value, field);
                        if (seat.isEmpty() || seat.length() > Join.MAX_SEAT) {
                            throw new MalformedMessageException("'seat' must be 1 to " + Join.MAX_SEAT + " characters");
                        }
                    }
                    case "resume" -> {
                        resume = string(parser, value, field);
                        if (resume.isEmpty() || resume.length() > Join.MAX_RESUME) {
                            throw new MalformedMessageException("'resume' must be 1 to " + Join.MAX_RESUME
                                    + " characters");
                        }
                    }
                    case "label" -> label = strings(parser, value, field);
                    case "properties" -> properties = strings(parser, value, field);
                    case "skill" -> skill = number(parser, value, field);
                    case "min" -> min = integral(parser, value, field);
                    case "max" -> max = integral(parser, value, field);
                    case "count_multiple" -> countMultiple = integral(parser, value, field);
                    case "party" -> {
                        party = string(parser, value, field);
                        if (party.isEmpty() || party.length() > TicketRequest.MAX_PARTY_KEY) {
                            throw new MalformedMessageException("'party' must be 1 to " + TicketRequest.MAX_PARTY_KEY
                                    + " characters");
                        }
                    }
                    case "party_size" -> partySize = integral(parser, value, field);
                    case "hosting" -> {
                        String hosting = string(parser, value, field);
                        if (!hosting.equals("server") && !hosting.equals("peer")) {
                            throw new MalformedMessageException("'hosting' must be \"server\" or \"peer\"");
                        }
                        peerHosted = hosting.equals("peer");
                    }
                    case "mesh" -> mesh = bool(value, field);
                    case "free" -> free = bool(value, field);
                    case "after" -> after = integral(parser, value, field, Query.MAX_AFTER);
                    case "limit" -> {
                        limit = integral(parser, value, field);
                        if (limit < 1 || limit > Query.MAX_LIMIT) {
                            throw new MalformedMessageException("'limit' must be 1 to " + Query.MAX_LIMIT);
                        }
                    }
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
            if (type == SignalMessage.LIST) {
                return new SignalMessage((int) type, (int) id, data == null ? "" : data,
                        new Query(game, label, free, after, (int) limit));
            }
            if (type == SignalMessage.TICKET) {
                return new SignalMessage((int) type, (int) id, data == null ? "" : data,
                        new TicketRequest(game, properties, skill, (int) min, (int) max, (int) countMultiple, party,
                                party == null ? 1 : (int) partySize, peerHosted, mesh));
            }
            if (listed && unlisted) {
                throw new MalformedMessageException("a lobby cannot be both 'public' and 'private'");
            }
            Join.Visibility visibility = listed ? Join.Visibility.PUBLIC
                    : unlisted ? Join.Visibility.PRIVATE : Join.Visibility.UNLISTED;
            Join join = game == null && name.isEmpty() && meta.isEmpty() && options.isEmpty()
                    && visibility == Join.Visibility.UNLISTED && code == null && seat == null && resume == null
                    ? Join.NONE : new Join(game, name, meta, options, visibility, code, seat, resume);
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

    private static double number(JsonParser parser, JsonToken value, String field)
            throws IOException, MalformedMessageException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new MalformedMessageException("'" + field + "' must be a number, got " + describe(value));
        }
        double number = parser.getDoubleValue();
        if (!Double.isFinite(number)) {
            throw new MalformedMessageException("'" + field + "' must be a finite number");
        }
        return number;
    }

    private static boolean bool(JsonToken value, String field) throws MalformedMessageException {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw new MalformedMessageException("'" + field + "' must be true or false, got " + describe(value));
        }
        return value == JsonToken.VALUE_TRUE;
    }

    /** {@code meta} or {@code label}: an object of strings, bounded. */
    private static Map<String, String> strings(JsonParser parser, JsonToken value, String field)
            throws IOException, MalformedMessageException {
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedMessageException("'" + field + "' must be an object, got " + describe(value));
        }
        Map<String, String> strings = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Join.checkKey(field, key, strings.size());
            String text = string(parser, parser.nextToken(), field + "." + key);
            if (text.length() > Join.MAX_META_VALUE) {
                throw new MalformedMessageException("'" + field + "' values are at most " + Join.MAX_META_VALUE
                        + " characters");
            }
            strings.put(key, text);
        }
        return strings;
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
        return integral(parser, value, field, Integer.MAX_VALUE);
    }

    /** A whole number in 0..{@code max} ({@code max} at most 2^53-1, which a JSON number holds exactly). */
    private static long integral(JsonParser parser, JsonToken value, String field, long max)
            throws IOException, MalformedMessageException {
        double number;
        if (value == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() != JsonParser.NumberType.INT && parser.getNumberType() != JsonParser.NumberType.LONG) {
                throw new MalformedMessageException("'" + field + "' out of range");
            }
            long n = parser.getLongValue();
            if (n < 0 || n > max) {
                throw new MalformedMessageException("'" + field + "' out of range: " + n);
            }
            return n;
        } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            // Godot's JSON and many JS encoders may write 4.0 for 4; a fraction is a client bug.
            number = parser.getDoubleValue();
            if (number != Math.rint(number) || number < 0 || number > max) {
                throw new MalformedMessageException("'" + field + "' must be a whole number in 0.."
                        + (max == Integer.MAX_VALUE ? "2^31-1" : Long.toString(max)) + ", got " + number);
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

    /**
     * The last message of a join sequence, with Meshgate's keys when they say something: the lobby's join {@code code}
     * when it has one, {@code "hosting":"server"} when the server is its peer 1 (a client that knows this can fall
     * back to the relay if WebRTC to the server fails), and the {@code resume} token that takes the seat back after a
     * dropped connection. A peer-hosted lobby's message without a code or token is Godot's exact one.
     */
    public static String encodeJoined(String lobby, String code, boolean serverHosted, String resume) {
        String joined = encode(SignalMessage.JOIN, 0, lobby);
        if (code == null && !serverHosted && resume == null) {
            return joined;
        }
        StringBuilder out = new StringBuilder(joined.length() + 80);
        out.append(joined, 0, joined.length() - 1);
        if (code != null) {
            out.append(",\"code\":\"");
            appendEscaped(out, code);
            out.append('"');
        }
        if (serverHosted) {
            out.append(",\"hosting\":\"server\"");
        }
        if (resume != null) {
            out.append(",\"resume\":\"");
            appendEscaped(out, resume);
            out.append('"');
        }
        return out.append('}').toString();
    }

    /**
     * The first message of a join sequence, {@code ID}: the client's id, {@code "true"} for a mesh, and, when the
     * server has ICE servers for it, {@code "ice"}: a list in the form {@code WebRTCPeerConnection.initialize} takes
     * for {@code "iceServers"} ({@code urls}, and {@code username} and {@code credential} for TURN). Without ICE
     * servers it is Godot's exact message.
     */
    public static String encodeId(int id, boolean mesh, List<IceServer> ice) {
        String plain = encode(SignalMessage.ID, id, mesh ? "true" : "");
        if (ice.isEmpty()) {
            return plain;
        }
        StringBuilder out = new StringBuilder(plain.length() + 160 * ice.size());
        out.append(plain, 0, plain.length() - 1).append(",\"ice\":[");
        for (int i = 0; i < ice.size(); i++) {
            IceServer server = ice.get(i);
            out.append(i == 0 ? "{\"urls\":[" : ",{\"urls\":[");
            for (int u = 0; u < server.urls().size(); u++) {
                out.append(u == 0 ? "\"" : ",\"");
                appendEscaped(out, server.urls().get(u));
                out.append('"');
            }
            out.append(']');
            if (server.username() != null) {
                out.append(",\"username\":\"");
                appendEscaped(out, server.username());
                out.append('"');
            }
            if (server.credential() != null) {
                out.append(",\"credential\":\"");
                appendEscaped(out, server.credential());
                out.append('"');
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /** A LOBBIES page: the lobbies and, when more may follow, the {@code next} a further LIST passes as {@code after}. */
    public static String encodeLobbies(List<Listing> lobbies, long next) {
        StringBuilder out = new StringBuilder(64 + lobbies.size() * 160);
        out.append("{\"type\":").append(SignalMessage.LOBBIES).append(",\"id\":0,\"data\":\"\",\"lobbies\":[");
        for (int i = 0; i < lobbies.size(); i++) {
            Listing lobby = lobbies.get(i);
            out.append(i == 0 ? "{" : ",{").append("\"name\":\"");
            appendEscaped(out, lobby.name());
            out.append("\",\"game\":\"");
            appendEscaped(out, lobby.game());
            out.append("\",\"label\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : new TreeMap<>(lobby.label()).entrySet()) {
                out.append(first ? "\"" : ",\"");
                appendEscaped(out, entry.getKey());
                out.append("\":\"");
                appendEscaped(out, entry.getValue());
                out.append('"');
                first = false;
            }
            out.append("},\"hosting\":\"").append(lobby.hosting()).append("\",\"mesh\":").append(lobby.mesh())
                    .append(",\"players\":").append(lobby.players()).append(",\"capacity\":")
                    .append(lobby.capacity()).append('}');
        }
        out.append("],\"next\":").append(next).append('}');
        return out.toString();
    }

    /**
     * A TICKET_STATUS: the ticket {@code id}'s {@code state} ({@code waiting}, {@code cancelled}, {@code expired} or
     * {@code refused}), with, while waiting, the players in reach and the milliseconds until it settles for fewer,
     * and when refused why.
     */
    public static String encodeTicketStatus(int id, String state, int playersInReach, long settlesInMs, String reason) {
        return encodeTicketStatus(id, state, playersInReach, settlesInMs, null, null, null, reason);
    }

    /** A matched TICKET_STATUS: the lobby to JOIN, the seat token to show, and who hosts it ({@code server} or {@code peer}). */
    public static String encodeTicketMatched(int id, String lobby, String seat, String hosting) {
        return encodeTicketStatus(id, "matched", 0, 0, lobby, seat, hosting, null);
    }

    private static String encodeTicketStatus(int id, String state, int playersInReach, long settlesInMs, String lobby,
                                             String seat, String hosting, String reason) {
        StringBuilder out = new StringBuilder(128);
        out.append("{\"type\":").append(SignalMessage.TICKET_STATUS).append(",\"id\":").append(id)
                .append(",\"data\":\"\",\"state\":\"").append(state).append('"');
        if (state.equals("waiting")) {
            out.append(",\"players_in_reach\":").append(playersInReach).append(",\"settles_in_ms\":")
                    .append(settlesInMs);
        }
        if (lobby != null) {
            out.append(",\"lobby\":\"");
            appendEscaped(out, lobby);
            out.append('"');
        }
        if (seat != null) {
            out.append(",\"seat\":\"");
            appendEscaped(out, seat);
            out.append('"');
        }
        if (hosting != null) {
            out.append(",\"hosting\":\"").append(hosting).append('"');
        }
        if (reason != null) {
            out.append(",\"reason\":\"");
            appendEscaped(out, reason);
            out.append('"');
        }
        return out.append('}').toString();
    }

    /** A TICKET_STATUS of a party member's ticket while its party gathers: {@code members} of {@code size} are in. */
    public static String encodeTicketGathering(int id, int members, int size) {
        return "{\"type\":" + SignalMessage.TICKET_STATUS + ",\"id\":" + id
                + ",\"data\":\"\",\"state\":\"gathering\",\"party_members\":" + members + ",\"party_size\":" + size
                + "}";
    }

    /** A LOBBIES answer without lobbies, saying why (Meshgate's {@code error} key): a LIST past its rate. */
    public static String encodeListRefused(String error) {
        StringBuilder out = new StringBuilder(96 + error.length());
        out.append("{\"type\":").append(SignalMessage.LOBBIES)
                .append(",\"id\":0,\"data\":\"\",\"lobbies\":[],\"next\":0,\"error\":\"");
        appendEscaped(out, error);
        return out.append("\"}").toString();
    }

    public static String encode(SignalMessage message) {
        return encode(message.type(), message.id(), message.data());
    }
}

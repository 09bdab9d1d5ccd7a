package io.meshgate.wire.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.wire.MalformedMessageException;

/**
 * One frame of the {@code ###!} room protocol (a Godot game-jam signaling server): {@code {"command":"###!XX",
 * "data":…}}, where {@code XX} is the command code and {@code data} any JSON value. Forwarded offers, answers and
 * candidates carry {@code data} objects whose {@code id} names the recipient on the way in and the sender on the way
 * out; the rest of the object passes untouched.
 */
public record RoomMessage(String code, JsonNode data) {

    public static final String PREFIX = "###!";

    /** Room data is small (names, SDP, candidates); deep nesting is only ever hostile. */
    private static final int MAX_NESTING_DEPTH = 16;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reads a client's frame: a JSON object with a string {@code command} that starts with {@code ###!}. */
    public static RoomMessage decode(String text) throws MalformedMessageException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        JsonNode command = root.get("command");
        if (command == null || !command.isTextual()) {
            throw new MalformedMessageException("no 'command' string");
        }
        if (!command.textValue().startsWith(PREFIX)) {
            throw new MalformedMessageException("'command' does not start with " + PREFIX);
        }
        JsonNode data = root.get("data");
        return new RoomMessage(command.textValue().substring(PREFIX.length()),
                data == null ? JsonNodeFactory.instance.nullNode() : data);
    }

    /** A server frame. */
    public static String encode(String code, JsonNode data) {
        ObjectNode frame = JsonNodeFactory.instance.objectNode();
        frame.put("command", PREFIX + code);
        frame.set("data", data);
        return frame.toString();
    }

    public static String encode(String code, String text) {
        return encode(code, JsonNodeFactory.instance.textNode(text));
    }

    public static String encode(String code, long number) {
        return encode(code, JsonNodeFactory.instance.numberNode(number));
    }

    /** Reads JSON this codec wrote (a forwarded payload) back into a tree. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON written by this codec: " + json, e);
        }
    }

    /** JavaScript's truthiness, which the reference applies to {@code data} before using it. */
    public boolean dataIsTruthy() {
        return switch (data.getNodeType()) {
            case NULL, MISSING -> false;
            case BOOLEAN -> data.booleanValue();
            case NUMBER -> data.doubleValue() != 0 && !Double.isNaN(data.doubleValue());
            case STRING -> !data.textValue().isEmpty();
            default -> true;
        };
    }

    /** The recipient of a forwarded offer, answer or candidate: {@code data.id}, 1 for the room's host. */
    public int destination() throws MalformedMessageException {
        JsonNode id = data.isObject() ? data.get("id") : null;
        if (id == null || !id.canConvertToExactIntegral() || !id.canConvertToInt()) {
            throw new MalformedMessageException("'data' must be an object with a whole-number 'id'");
        }
        return id.intValue();
    }

    /** The relayed object with its recipient id removed, as the payload the core carries. */
    public String forwardedPayload() {
        ObjectNode rest = ((ObjectNode) data).deepCopy();
        rest.remove("id");
        return rest.toString();
    }

    /** What the recipient gets: the payload with {@code id} set to the sender, as the reference rewrites it. */
    public static JsonNode delivered(String forwardedPayload, int sender) {
        ObjectNode delivered = JsonNodeFactory.instance.objectNode();
        delivered.put("id", sender);
        delivered.setAll((ObjectNode) parse(forwardedPayload));
        return delivered;
    }
}

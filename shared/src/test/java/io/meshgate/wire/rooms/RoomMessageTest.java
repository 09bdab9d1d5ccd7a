package io.meshgate.wire.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.wire.MalformedMessageException;
import org.junit.jupiter.api.Test;

class RoomMessageTest {

    @Test
    void decodesCommandCodeAndAnyData() throws Exception {
        RoomMessage register = RoomMessage.decode("{\"command\":\"###!RP\",\"data\":\"ann\"}");
        assertEquals("RP", register.code());
        assertEquals("ann", register.data().textValue());
        RoomMessage create = RoomMessage.decode("{\"command\":\"###!CR\"}");
        assertEquals("CR", create.code());
        assertTrue(create.data().isNull());
    }

    @Test
    void refusesWhatIsNotACommand() {
        for (String bad : new String[] {"", "nope", "[]", "\"###!RP\"", "{}", "{\"command\":5}",
                "{\"command\":\"RP\"}", "{\"command\":\"###!RP\"} {}", "{\"command\":\"###!RP\",\"command\":\"###!CR\"}",
                "{\"command\":\"###!SM\",\"data\":" + "[".repeat(40) + "]".repeat(40) + "}"}) {
            assertThrows(MalformedMessageException.class, () -> RoomMessage.decode(bad), bad);
        }
    }

    @Test
    void encodesLikeTheReference() {
        assertEquals("{\"command\":\"###!RPK\",\"data\":42}", RoomMessage.encode("RPK", 42));
        assertEquals("{\"command\":\"###!SRK\",\"data\":\"null\"}", RoomMessage.encode("SRK", "null"));
    }

    @Test
    void relaysRewriteTheIdFromRecipientToSender() throws Exception {
        RoomMessage offer = RoomMessage.decode(
                "{\"command\":\"###!OO\",\"data\":{\"id\":1,\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}}");
        assertEquals(1, offer.destination());
        String payload = offer.forwardedPayload();
        assertEquals("{\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}", payload);
        assertEquals("{\"command\":\"###!OOO\",\"data\":{\"id\":77,\"rtc\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}}",
                RoomMessage.encode("OOO", RoomMessage.delivered(payload, 77)));
        // Godot 3 writes whole numbers it parsed from JSON as floats
        assertEquals(5, RoomMessage.decode("{\"command\":\"###!CC\",\"data\":{\"id\":5.0}}").destination());
    }

    @Test
    void relayNeedsAWholeNumberId() throws Exception {
        for (String data : new String[] {"null", "5", "\"5\"", "{}", "{\"id\":\"2\"}", "{\"id\":2.5}",
                "{\"id\":9999999999}"}) {
            RoomMessage message = RoomMessage.decode("{\"command\":\"###!OO\",\"data\":" + data + "}");
            assertThrows(MalformedMessageException.class, message::destination, data);
        }
    }

    @Test
    void truthinessIsJavaScripts() throws Exception {
        for (String falsy : new String[] {"null", "false", "0", "\"\"", "0.0"}) {
            assertFalse(RoomMessage.decode("{\"command\":\"###!SM\",\"data\":" + falsy + "}").dataIsTruthy(), falsy);
        }
        assertFalse(RoomMessage.decode("{\"command\":\"###!SM\"}").dataIsTruthy());
        for (String truthy : new String[] {"true", "1", "\"x\"", "[]", "{}"}) {
            assertTrue(RoomMessage.decode("{\"command\":\"###!SM\",\"data\":" + truthy + "}").dataIsTruthy(), truthy);
        }
    }
}

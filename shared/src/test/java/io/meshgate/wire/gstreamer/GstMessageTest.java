package io.meshgate.wire.gstreamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GstMessageTest {

    @Test
    void splitsLikePython() {
        // Expected values are what CPython 3 prints for the same calls.
        assertEquals(List.of("HELLO", "abc"), GstMessage.split("HELLO abc", 1));
        assertEquals(List.of("SESSION", "a b"), GstMessage.split("SESSION a b", 1));
        assertEquals(List.of("ROOM_PEER_MSG", "p1", "{\"sdp\": 1}  x  "),
                GstMessage.split("  ROOM_PEER_MSG \t p1   {\"sdp\": 1}  x  ", 2));
        assertEquals(List.of("HELLO"), GstMessage.split("HELLO   ", 1));
        assertEquals(List.of(), GstMessage.split(" \n\t ", 1));
        assertEquals(List.of("a", "b", "c"), GstMessage.split("a b c", 5));
        assertEquals(List.of("ROOM_PEER_LIST"), GstMessage.split("ROOM_PEER_LIST", 2));
    }

    @Test
    void quotesIdsAsPythonRepr() {
        assertEquals("'abc'", GstMessage.repr("abc"));
        assertEquals("\"it's\"", GstMessage.repr("it's"));
        assertEquals("'both \\' and \"'", GstMessage.repr("both ' and \""));
        assertEquals("'a\\\\b\\n\\x01'", GstMessage.repr("a\\b\n\u0001"));
        assertEquals("''", GstMessage.repr(""));
    }

    @Test
    void repliesUseTheReferenceWording() {
        assertEquals("ROOM_OK ", GstMessage.roomOk(List.of()));
        assertEquals("ROOM_OK a b", GstMessage.roomOk(List.of("a", "b")));
        assertEquals("ROOM_PEER_LIST b", GstMessage.peerList(List.of("b")));
        assertEquals("ROOM_PEER_MSG a hi there", GstMessage.peerMessage("a", "hi there"));
        assertEquals("ROOM_PEER_JOINED a", GstMessage.peerJoined("a"));
        assertEquals("ROOM_PEER_LEFT a", GstMessage.peerLeft("a"));
        assertEquals("ERROR peer 'x' not found", GstMessage.peerNotFound("x"));
        assertEquals("ERROR peer 'x' busy", GstMessage.peerBusy("x"));
        assertEquals("ERROR peer 'x' is not in the room", GstMessage.peerNotInRoom("x"));
        assertEquals("ERROR invalid room id 'session'", GstMessage.invalidRoomId("session"));
        assertEquals("ERROR invalid msg, already in room", GstMessage.ALREADY_IN_ROOM);
    }

    @Test
    void idsAreSingleWords() {
        assertTrue(GstMessage.isWord("peer-1"));
        assertTrue(GstMessage.isWord("ü"));
        assertFalse(GstMessage.isWord(""));
        assertFalse(GstMessage.isWord("a b"));
        assertFalse(GstMessage.isWord("a\u0000"));
        assertFalse(GstMessage.isWord("a\u2003b"));
    }
}

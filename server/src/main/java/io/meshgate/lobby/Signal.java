package io.meshgate.lobby;

/** The kinds of WebRTC signaling payload the core relays between the peers of a lobby, opaque to it. */
public enum Signal {
    OFFER,
    ANSWER,
    CANDIDATE,
    /** A dialect's free-form message between members (GStreamer's ROOM_PEER_MSG, a {@code ###!} room message). */
    MESSAGE
}

package io.meshgate.lobby;

/** The kinds of signaling payload the core forwards between the members of a lobby, opaque to it. */
public enum Signal {
    OFFER,
    ANSWER,
    CANDIDATE,
    /** A dialect's free-form message between members (GStreamer's ROOM_PEER_MSG, a {@code ###!} room message). */
    MESSAGE
}

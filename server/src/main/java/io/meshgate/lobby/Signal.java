package io.meshgate.lobby;

/** The kinds of WebRTC signaling payload the core relays between the peers of a lobby, opaque to it. */
public enum Signal {
    OFFER,
    ANSWER,
    CANDIDATE
}

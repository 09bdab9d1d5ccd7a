package io.meshgate.lobby;

/** Who can find a lobby: by name only, also in public listings, or also by a short join code. */
public enum Visibility {
    /** Found by its unguessable name only, which its creator shares: every lobby before listings existed. */
    UNLISTED,
    /** Also listed to every client that asks (see {@link LobbyService#listPublic}). */
    PUBLIC,
    /** Unlisted, and also found by a short join code made for it, easy to read aloud. */
    PRIVATE
}

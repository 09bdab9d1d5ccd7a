package io.meshgate.game;

import java.util.Map;

/**
 * A client asking to join a game's lobby, before anyone is told of it (see {@link Game#onJoinAttempt}): its lobby id,
 * the name and metadata it gave (empty when it gave none; what a client says of itself, so untrusted, except a name
 * its token gave), its engine, and the user id its token proved ("" when the server does not authenticate).
 */
public record JoinAttempt(int id, String name, Map<String, String> metadata, Engine engine, String userId) {

    /** A client of a server that does not authenticate. */
    public JoinAttempt(int id, String name, Map<String, String> metadata, Engine engine) {
        this(id, name, metadata, engine, "");
    }
}

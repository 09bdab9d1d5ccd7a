package io.meshgate.game;

import java.util.Map;

/**
 * A client asking to join a game's lobby, before anyone is told of it (see {@link Game#onJoinAttempt}): its lobby id,
 * the name and metadata it gave (empty when it gave none; what a client says of itself, so untrusted), and its engine.
 */
public record JoinAttempt(int id, String name, Map<String, String> metadata, Engine engine) {
}

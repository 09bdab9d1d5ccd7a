package io.meshgate.wire.godot4;

/**
 * What Meshgate reads of a client's message beyond {@code type}, {@code id} and {@code data}: keys Godot's own server
 * ignores, one kind per message type (a JOIN's {@link Join}, a LIST's {@link Query}, a TICKET's {@link TicketRequest}).
 */
public sealed interface Extra permits Join, Query, TicketRequest {
}

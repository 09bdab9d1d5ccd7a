package io.meshgate.lobby;

/** What one client's connection carried so far, both ways, in whole messages and their payload bytes. */
public record Traffic(long messagesIn, long bytesIn, long messagesOut, long bytesOut) {
}

package io.meshgate.game;

/**
 * How a packet travels, as Godot's transfer modes: {@code multiplayer.send_bytes(data, id, mode)} on channel 0 maps
 * TRANSFER_MODE_RELIABLE, UNRELIABLE_ORDERED and UNRELIABLE to these.
 */
public enum Delivery {
    /** Arrives, in order: events, chat, anything that must not be lost. */
    RELIABLE,
    /** May be lost, never arrives out of order. */
    ORDERED,
    /** May be lost or reordered: state snapshots, where only the newest matters. */
    UNRELIABLE
}

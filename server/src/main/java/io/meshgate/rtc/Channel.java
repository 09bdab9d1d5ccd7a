package io.meshgate.rtc;

/**
 * The three data channels Godot's {@code WebRTCMultiplayerPeer} negotiates with every peer, by their negotiated ids.
 * A peer counts as connected only when all three are open.
 */
public enum Channel {
    /** Ordered and reliable: Godot's TRANSFER_MODE_RELIABLE on channel 0. */
    RELIABLE(1, "reliable", true, false),
    /** Ordered, with a packet lifetime: TRANSFER_MODE_UNRELIABLE_ORDERED. */
    ORDERED(2, "ordered", true, true),
    /** Unordered, with a packet lifetime: TRANSFER_MODE_UNRELIABLE. */
    UNRELIABLE(3, "unreliable", false, true);

    final int id;
    final String label;
    final boolean ordered;
    final boolean lifetimeLimited;

    Channel(int id, String label, boolean ordered, boolean lifetimeLimited) {
        this.id = id;
        this.label = label;
        this.ordered = ordered;
        this.lifetimeLimited = lifetimeLimited;
    }
}

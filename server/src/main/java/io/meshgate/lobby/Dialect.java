package io.meshgate.lobby;

/**
 * The signaling protocol a lobby's members speak. Dialects disagree on who makes the WebRTC offer and on how
 * payloads look, so a lobby keeps to its creator's dialect: a client of another is told the lobby does not exist.
 */
public enum Dialect {
    /** Godot 4's JSON protocol (Godot's {@code server_node}); the larger id offers. */
    GODOT4("godot4"),
    /** Godot 3's text protocol ({@code webrtc_signaling} demo); the lower id offers. */
    GODOT3("godot3"),
    /** GStreamer's HELLO / SESSION / ROOM (gst-examples); members address each other by uid. */
    GSTREAMER("gstreamer"),
    /** The {@code ###!} JSON commands of a Godot game-jam server, on {@code /rooms}. */
    ROOMS("rooms");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    /** The dialect whose {@link #label} this is, or null. */
    public static Dialect ofLabel(String label) {
        for (Dialect dialect : values()) {
            if (dialect.label.equals(label)) {
                return dialect;
            }
        }
        return null;
    }

    /** The dialect's name in statistics and logs. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}

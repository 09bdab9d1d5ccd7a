package io.meshgate.wire.variant;

/** Godot 4's StringName: a string with its own type tag (GDScript's {@code &"name"}). */
public record StringName(String value) {
}

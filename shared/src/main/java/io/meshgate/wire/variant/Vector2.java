package io.meshgate.wire.variant;

/** Godot's Vector2: two reals, 32-bit on the wire in standard engine builds. */
public record Vector2(float x, float y) {
}

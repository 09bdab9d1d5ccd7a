package io.meshgate.wire.variant;

/** Godot's Vector3: three reals, 32-bit on the wire in standard engine builds. */
public record Vector3(float x, float y, float z) {
}

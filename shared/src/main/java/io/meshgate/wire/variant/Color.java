package io.meshgate.wire.variant;

/** Godot's Color: four 32-bit floats, r, g, b, a. */
public record Color(float r, float g, float b, float a) {
}

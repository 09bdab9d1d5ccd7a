package io.meshgate.wire.variant;

/** Godot 4's Vector2i: two 32-bit integers. */
public record Vector2i(int x, int y) {
}

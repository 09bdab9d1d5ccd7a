package io.meshgate.wire.variant;

/** Godot 4's Vector3i: three 32-bit integers. */
public record Vector3i(int x, int y, int z) {
}

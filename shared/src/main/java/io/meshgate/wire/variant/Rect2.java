package io.meshgate.wire.variant;

/** Godot's Rect2: position and size, four reals. */
public record Rect2(float x, float y, float width, float height) {
}

/** Godot 3.2's wire formats: the WebSocket multiplayer frame. (Its Variant table lives in the variant package.) */
package io.meshgate.wire.godot3;

package io.meshgate.wire.godot3;

import io.meshgate.wire.variant.VariantCodec;

/**
 * Game data between a Godot 3 client and a server that speaks Godot 4: data that is one Variant is re-encoded between
 * the two engines' type tables; any other bytes pass unchanged (a game's own binary format means the same to both).
 */
public final class Translation {

    private Translation() {
    }

    /** What a Godot 3 client sent, as a Godot 4 client would have sent it. */
    public static byte[] toGodot4(byte[] godot3Data) {
        return VariantCodec.GODOT3.translateIfVariant(godot3Data, VariantCodec.GODOT4);
    }

    /** What the server wrote for Godot 4 clients, as a Godot 3 client reads it. */
    public static byte[] toGodot3(byte[] godot4Data) {
        return VariantCodec.GODOT4.translateIfVariant(godot4Data, VariantCodec.GODOT3);
    }
}

package io.meshgate.game;

/**
 * The Godot version a player runs. Games read and write Godot 4's Variant encoding whatever it is: the server
 * translates a Godot 3 player's packets both ways, so this is for what the engines differ in beyond encoding.
 */
public enum Engine {
    GODOT3,
    GODOT4
}

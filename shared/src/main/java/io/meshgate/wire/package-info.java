/**
 * Wire formats Meshgate speaks, as pure codecs: strings and bytes in, values out, no I/O, so every one is
 * unit-tested and fuzzable on its own.
 */
package io.meshgate.wire;

/**
 * The envelopes cluster nodes send each other through Redis, Kryo-serialized: {@link EnvelopeCodec} writes and
 * reads them, {@link Envelope} is one, and the message classes beside it are what envelopes carry. Pure codecs, no
 * I/O; docs/cluster.md states the format and the compatibility rule.
 */
package io.meshgate.wire.cluster;

package io.meshgate.tools.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client connection for load generation: text frames out (masked, as clients must), text, ping and
 * close frames in, on a {@link WsLoop}'s thread. Not a general client: no extensions, no TLS, no fragmented sends.
 */
public final class WsConn {

    /** What a connection reports, always on its loop's thread. */
    public interface Listener {
        void onOpen(WsConn conn);

        void onText(WsConn conn, String text);

        /** A binary message; {@code data} is only valid during the call. */
        default void onBinary(WsConn conn, byte[] data, int offset, int length) {
        }

        void onClose(WsConn conn, int code, String reason);
    }

    private final WsLoop loop;
    private final Listener listener;
    private final URI uri;
    private SocketChannel channel;
    private SelectionKey key;
    private boolean handshaken;
    private volatile boolean closed;
    /** This side sent its close frame: the server's reply ends the connection, with nothing sent back. */
    private boolean closeSent;
    private byte[] out = new byte[0];
    private int outLength;
    private boolean dirty;
    private byte[] partial;
    private final byte[] mask = new byte[4];
    private final StringBuilder fragments = new StringBuilder();

    public WsConn(WsLoop loop, URI uri, Listener listener) {
        this.loop = loop;
        this.uri = uri;
        this.listener = listener;
        ThreadLocalRandom.current().nextBytes(mask);
    }

    public WsLoop loop() {
        return loop;
    }

    /** Starts connecting; call on any thread. */
    public void connect() {
        loop.execute(() -> {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                int port = uri.getPort() > 0 ? uri.getPort() : 80;
                boolean now = channel.connect(new InetSocketAddress(uri.getHost(), port));
                key = channel.register(loop.selector, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
                if (now) {
                    sendHandshake();
                }
            } catch (IOException e) {
                fail(1006, "connect: " + e.getMessage());
            }
        });
    }

    private void sendHandshake() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        append(request.getBytes(StandardCharsets.US_ASCII));
    }

    void ready(SelectionKey ready) {
        try {
            if (ready.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                sendHandshake();
                return;
            }
            if (ready.isWritable()) {
                flush();
            }
            if (ready.isReadable()) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            fail(1006, e.toString());
        }
    }

    private void read() throws IOException {
        ByteBuffer buffer = loop.readBuffer;
        buffer.clear();
        if (partial != null) {
            buffer.put(partial);
            partial = null;
        }
        int n = channel.read(buffer);
        if (n < 0) {
            fail(1006, "connection reset");
            return;
        }
        buffer.flip();
        if (!handshaken && !readHandshake(buffer)) {
            keep(buffer);
            return;
        }
        while (!closed && parseFrame(buffer)) {
            // one frame handled per turn
        }
        if (!closed) {
            keep(buffer);
        }
    }

    private void keep(ByteBuffer buffer) {
        if (buffer.hasRemaining()) {
            partial = new byte[buffer.remaining()];
            buffer.get(partial);
        }
    }

    private boolean readHandshake(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int start = buffer.position();
        for (int i = start; i + 3 < buffer.limit(); i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                String head = new String(bytes, start, i - start, StandardCharsets.US_ASCII);
                if (!head.startsWith("HTTP/1.1 101")) {
                    fail(1002, "handshake refused: " + head.lines().findFirst().orElse(""));
                    return false;
                }
                buffer.position(i + 4);
                handshaken = true;
                listener.onOpen(this);
                return true;
            }
        }
        return false;
    }

    /** Handles one whole frame at the buffer's position; false if the buffer holds only part of one. */
    private boolean parseFrame(ByteBuffer buffer) {
        int start = buffer.position();
        if (buffer.remaining() < 2) {
            return false;
        }
        int b0 = buffer.get() & 0xFF;
        int b1 = buffer.get() & 0xFF;
        long length = b1 & 0x7F;
        if (length == 126) {
            if (buffer.remaining() < 2) {
                buffer.position(start);
                return false;
            }
            length = buffer.getShort() & 0xFFFF;
        } else if (length == 127) {
            if (buffer.remaining() < 8) {
                buffer.position(start);
                return false;
            }
            length = buffer.getLong();
        }
        if (length > WsLoop.MAX_FRAME) {
            fail(1009, "frame of " + length + " bytes");
            return false;
        }
        if (buffer.remaining() < length) {
            buffer.position(start);
            return false;
        }
        int offset = buffer.position();
        buffer.position(offset + (int) length);
        byte[] bytes = buffer.array();
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        switch (opcode) {
            case 0x1, 0x0 -> {
                String text = new String(bytes, offset, (int) length, StandardCharsets.UTF_8);
                if (fin && fragments.isEmpty()) {
                    listener.onText(this, text);
                } else {
                    fragments.append(text);
                    if (fin) {
                        String whole = fragments.toString();
                        fragments.setLength(0);
                        listener.onText(this, whole);
                    }
                }
            }
            case 0x8 -> {
                int code = length >= 2 ? ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF) : 1005;
                String reason = length > 2 ? new String(bytes, offset + 2, (int) length - 2, StandardCharsets.UTF_8) : "";
                if (!closeSent) {
                    frame(0x8, Arrays.copyOfRange(bytes, offset, offset + (int) Math.min(length, 2)));
                    flush();
                }
                fail(code, reason);
            }
            case 0x9 -> frame(0xA, Arrays.copyOfRange(bytes, offset, offset + (int) length));
            case 0x2 -> listener.onBinary(this, bytes, offset, (int) length);
            default -> {
                // pong or binary: nothing to do for a signaling load
            }
        }
        return true;
    }

    /** Queues a binary frame; call on the loop's thread. */
    public void sendBinary(byte[] data) {
        if (!closed) {
            frame(0x2, data);
        }
    }

    /** Queues a text frame; call on the loop's thread. It goes out when the loop turn ends. */
    void sendText(String text) {
        if (!closed) {
            frame(0x1, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void frame(int opcode, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 6 : length <= 0xFFFF ? 8 : 14;
        ensure(header + length);
        byte[] o = out;
        int p = outLength;
        o[p++] = (byte) (0x80 | opcode);
        if (length < 126) {
            o[p++] = (byte) (0x80 | length);
        } else if (length <= 0xFFFF) {
            o[p++] = (byte) (0x80 | 126);
            o[p++] = (byte) (length >> 8);
            o[p++] = (byte) length;
        } else {
            o[p++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                o[p++] = (byte) ((long) length >> shift);
            }
        }
        System.arraycopy(mask, 0, o, p, 4);
        p += 4;
        for (int i = 0; i < length; i++) {
            o[p + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        outLength = p + length;
        markDirty();
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, outLength, bytes.length);
        outLength += bytes.length;
        markDirty();
    }

    private void ensure(int more) {
        if (outLength + more > out.length) {
            out = Arrays.copyOf(out, Math.max(outLength + more, Math.max(256, out.length * 2)));
        }
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    void flush() {
        dirty = false;
        if (outLength == 0 || channel == null || !channel.isOpen()) {
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(out, 0, outLength);
            channel.write(buffer);
            int left = buffer.remaining();
            if (left > 0) {
                System.arraycopy(out, buffer.position(), out, 0, left);
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOps(SelectionKey.OP_READ);
            }
            outLength = left;
        } catch (IOException e) {
            fail(1006, e.toString());
        }
    }

    /**
     * Closes cleanly: sends a close frame (1000) and lets the server's reply end the connection, as a client that
     * leaves does (dropping the socket at once can reset it before the server reads the frame, which the server then
     * takes for a lost connection). Call on any thread; {@link #isClosed} tells when it is over.
     */
    public void close() {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            if (!handshaken) {
                closed = true;
                closeChannel();
                return;
            }
            frame(0x8, new byte[] {(byte) 0x03, (byte) 0xE8});
            flush();
            closeSent = true;
        });
    }

    /** Whether the connection is over. Any thread. */
    public boolean isClosed() {
        return closed;
    }

    private void fail(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeChannel();
        listener.onClose(this, code, reason);
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
    }
}

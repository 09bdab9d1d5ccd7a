package io.meshgate.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-driven WebSocket client over a plain socket, for what well-behaved client libraries cannot do: stay silent
 * to pings, announce a frame larger than it sends, or never read.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One frame as received: opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        public String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawWebSocket(int port, String path) throws IOException {
        this(port, path, 0);
    }

    /** With a small {@code receiveBuffer}, a client that stops reading backs the server up after a few KB. */
    public RawWebSocket(int port, String path, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true); // a frame's header and payload go in two writes: no Nagle wait between them
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout((int) SignalingClient.WAIT.toMillis());
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        while (!headers.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + headers);
            }
            headers.write(b);
        }
        String response = headers.toString(StandardCharsets.US_ASCII);
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Writes only the header of a masked frame announcing {@code length} payload bytes. */
    public void writeHeader(int opcode, long length) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (length < 126) {
            frame.write(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write((int) (length >> 8));
            frame.write((int) length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >> shift));
            }
        }
        frame.write(new byte[4]); // an all-zero mask leaves the payload as it is
        out.write(frame.toByteArray());
        out.flush();
    }

    public void writeFrame(int opcode, byte[] payload) throws IOException {
        writeHeader(opcode, payload.length);
        out.write(payload);
        out.flush();
    }

    public void writeText(String text) throws IOException {
        writeFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes as they are, for payloads that follow a header from {@link #writeHeader}. */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((second & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /**
     * Reads frames, answering none of them, up to the Godot 4 join answer (the JOIN that ends a join), and returns
     * its lobby name.
     */
    public String readGodot4Join() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == TEXT) {
                try {
                    SignalMessage message = SignalCodec.decode(frame.text());
                    if (message.type() == SignalMessage.JOIN) {
                        return message.data();
                    }
                } catch (MalformedMessageException e) {
                    throw new IOException("not a Godot 4 message: " + frame.text(), e);
                }
            }
        }
    }

    /** Reads frames, answering none of them, until the server's close frame. */
    public Frame readUntilClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

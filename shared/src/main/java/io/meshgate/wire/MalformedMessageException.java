package io.meshgate.wire;

/** Thrown by a codec when a frame is not a well-formed message of its wire format; the message says what is wrong. */
public final class MalformedMessageException extends Exception {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}

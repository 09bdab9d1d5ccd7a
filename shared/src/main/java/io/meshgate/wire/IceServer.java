package io.meshgate.wire;

import java.util.List;

/**
 * One entry of a WebRTC peer connection's {@code iceServers}: STUN or TURN URLs and, for TURN, the username and
 * credential to sign in with (null when there are none), as Godot's {@code WebRTCPeerConnection.initialize} and the
 * browser's {@code RTCPeerConnection} take it.
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
    }
}

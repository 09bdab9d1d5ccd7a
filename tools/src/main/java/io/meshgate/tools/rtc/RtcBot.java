package io.meshgate.tools.rtc;

import io.meshgate.game.arena.ArenaGame;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.Candidate;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.variant.VariantCodec;
import io.meshgate.wire.variant.Vector2;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A Godot 4-like WebRTC client of a server-hosted lobby, for benchmarks: signals like Godot's demo client, offers to
 * peer 1 (the larger id offers) with Godot's three channels, sends arena inputs and counts what comes back.
 *
 * <p>Jetty and webrtc-java call it on their own threads; it only counts, queues and sends.
 */
public final class RtcBot extends SignalingBot implements RtcConnection.Listener {

    /** What a bot reports; called on Jetty's or webrtc's threads. */
    public interface Events {
        void joined(RtcBot bot, String lobby);

        void opened(RtcBot bot);

        void closed(RtcBot bot, String reason);
    }

    private final RtcEngine engine;
    private final Events events;
    private volatile RtcConnection rtc;
    private final List<String> candidates = new ArrayList<>();
    private boolean offerSent;
    private volatile boolean ended;
    private long seq;
    final AtomicLong snapshots = new AtomicLong();
    final AtomicLong reliable = new AtomicLong();
    volatile long joinSentAt;
    volatile long openedAt;
    /** Sees every message the bot receives (webrtc-java's thread), when a benchmark wants more than counts. */
    volatile java.util.function.BiConsumer<Channel, byte[]> onData;

    public RtcBot(RtcEngine engine, Events events) {
        this.engine = engine;
        this.events = events;
    }

    /**
     * Connects and sends JOIN: {@code lobby} "" with {@code joinId} 3 creates a server-hosted client/server lobby; a
     * name joins that lobby, whose peer 1 it offers to (the server, or a peer-hosted lobby's host).
     */
    public void start(WebSocketClient client, URI uri, int joinId, String lobby) throws Exception {
        client.connect(this, uri).whenComplete((s, failure) -> {
            if (failure != null) {
                end("connect failed: " + failure.getMessage());
                return;
            }
            joinSentAt = System.nanoTime();
            send(SignalMessage.JOIN, joinId, lobby);
        });
    }

    @Override
    void malformed(String text) {
        end("malformed signaling: " + text);
    }

    @Override
    void received(SignalMessage message) {
        switch (message.type()) {
            case SignalMessage.JOIN -> events.joined(this, message.data());
            case SignalMessage.PEER_CONNECT -> {
                if (message.id() == 1 && rtc == null) {
                    rtc = engine.open(this);
                    rtc.offer(sdp -> {
                        send(SignalMessage.OFFER, 1, sdp);
                        List<String> queued;
                        synchronized (candidates) {
                            offerSent = true;
                            queued = new ArrayList<>(candidates);
                            candidates.clear();
                        }
                        queued.forEach(c -> send(SignalMessage.CANDIDATE, 1, c));
                    });
                }
            }
            case SignalMessage.ANSWER -> rtc.acceptAnswer(message.data());
            case SignalMessage.CANDIDATE -> {
                try {
                    Candidate candidate = Candidate.decode(message.data());
                    rtc.addRemoteCandidate(candidate.mid(), candidate.index(), candidate.sdp());
                } catch (MalformedMessageException e) {
                    end("malformed candidate from the server: " + e.getMessage());
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void onWebSocketClose(int code, String reason, Callback callback) {
        callback.succeed();
        end("signaling closed: " + code + " " + reason);
    }

    @Override
    public void localCandidate(String mid, int index, String sdp) {
        String data = new Candidate(mid, index, sdp).encode();
        synchronized (candidates) {
            if (!offerSent) {
                candidates.add(data);
                return;
            }
        }
        send(SignalMessage.CANDIDATE, 1, data);
    }

    @Override
    public void opened() {
        openedAt = System.nanoTime();
        events.opened(this);
    }

    @Override
    public void received(Channel channel, byte[] data) {
        java.util.function.BiConsumer<Channel, byte[]> hook = onData;
        if (hook != null) {
            hook.accept(channel, data);
        }
        if (channel == Channel.UNRELIABLE) {
            snapshots.incrementAndGet();
        } else {
            reliable.incrementAndGet();
        }
    }

    @Override
    public void closed(String reason) {
        end("WebRTC closed: " + reason);
    }

    /** Sends one arena input, {@code {"move": Vector2, "seq": int}}, on the ordered channel. */
    public boolean sendInput(float x, float y) {
        RtcConnection current = rtc;
        if (current == null || ended) {
            return false;
        }
        byte[] input = VariantCodec.GODOT4.encode(ArenaGame.input(x, y, ++seq));
        return current.send(Channel.ORDERED, ScenePacket.raw(input));
    }

    /** Sends one raw payload on the reliable channel. */
    public boolean sendReliable(byte[] payload) {
        RtcConnection current = rtc;
        return current != null && !ended && current.send(Channel.RELIABLE, ScenePacket.raw(payload));
    }

    /** Whether everything sent on the reliable channel has left this side. */
    public boolean drained() {
        RtcConnection current = rtc;
        return current == null || current.buffered(Channel.RELIABLE) == 0;
    }

    private void end(String reason) {
        if (!ended) {
            ended = true;
            events.closed(this, reason);
        }
    }

    public boolean ended() {
        return ended;
    }

    public void close() {
        if (!ended) {
            ended = true;
            events.closed(this, "closed by the benchmark");
        }
        RtcConnection current = rtc;
        if (current != null) {
            current.close();
        }
        closeSignaling();
    }
}

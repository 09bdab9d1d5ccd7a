package io.meshgate.tools.rtc;

import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.Candidate;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The host of a peer-hosted client/server lobby, as a Godot 4 engine would be, for benchmarks: creates the lobby
 * (peer 1), answers each joiner's offer with Godot's three channels, and sends to and hears from every peer it is
 * connected to. It cannot tell a relay player's stand-in from any other peer, and does not try.
 *
 * <p>Jetty and webrtc-java call it on their own threads; it only keeps connections, forwards and counts.
 */
public final class PeerHostBot extends SignalingBot {

    /** What it reports, on Jetty's or webrtc's threads. */
    public interface Events {
        void created(PeerHostBot host, String lobby);

        void opened(PeerHostBot host, int peer);

        void failed(PeerHostBot host, String reason);
    }

    /** One joiner's connection: candidates wait for the answer, which must reach the joiner first. */
    private final class Joiner implements RtcConnection.Listener {
        final int id;
        volatile RtcConnection connection;
        private final List<String> early = new ArrayList<>();
        private boolean answered;

        Joiner(int id) {
            this.id = id;
        }

        @Override
        public void localCandidate(String mid, int index, String sdp) {
            String data = new Candidate(mid, index, sdp).encode();
            synchronized (early) {
                if (!answered) {
                    early.add(data);
                    return;
                }
            }
            send(SignalMessage.CANDIDATE, id, data);
        }

        void answer(String sdp) {
            send(SignalMessage.ANSWER, id, sdp);
            List<String> queued;
            synchronized (early) {
                answered = true;
                queued = new ArrayList<>(early);
                early.clear();
            }
            queued.forEach(c -> send(SignalMessage.CANDIDATE, id, c));
        }

        @Override
        public void opened() {
            open.put(id, connection);
            events.opened(PeerHostBot.this, id);
        }

        @Override
        public void received(Channel channel, byte[] data) {
            BiConsumer<Integer, byte[]> hook = onData;
            if (hook != null) {
                hook.accept(id, data);
            }
        }

        @Override
        public void closed(String reason) {
            open.remove(id);
        }
    }

    private final RtcEngine engine;
    private final Events events;
    private final Map<Integer, Joiner> joiners = new ConcurrentHashMap<>();
    private final Map<Integer, RtcConnection> open = new ConcurrentHashMap<>();
    /** Every message from a peer, with its id (webrtc-java's thread). */
    volatile BiConsumer<Integer, byte[]> onData;

    public PeerHostBot(RtcEngine engine, Events events) {
        this.engine = engine;
        this.events = events;
    }

    /** Connects and creates a peer-hosted client/server lobby (JOIN id 5: client/server, peer-hosted). */
    public void start(WebSocketClient client, URI uri) throws java.io.IOException {
        client.connect(this, uri).whenComplete((s, failure) -> {
            if (failure != null) {
                events.failed(this, "connect failed: " + failure.getMessage());
            } else {
                send(SignalMessage.JOIN, 5, "");
            }
        });
    }

    @Override
    void malformed(String text) {
        events.failed(this, "malformed signaling: " + text);
    }

    @Override
    void received(SignalMessage message) {
        switch (message.type()) {
            case SignalMessage.JOIN -> events.created(this, message.data());
            case SignalMessage.OFFER -> {
                Joiner joiner = new Joiner(message.id());
                if (joiners.putIfAbsent(joiner.id, joiner) != null) {
                    return;
                }
                joiner.connection = engine.open(joiner);
                joiner.connection.acceptOffer(message.data(), joiner::answer);
            }
            case SignalMessage.CANDIDATE -> {
                Joiner joiner = joiners.get(message.id());
                if (joiner == null) {
                    return;
                }
                try {
                    Candidate candidate = Candidate.decode(message.data());
                    joiner.connection.addRemoteCandidate(candidate.mid(), candidate.index(), candidate.sdp());
                } catch (MalformedMessageException e) {
                    events.failed(this, "malformed candidate: " + e.getMessage());
                }
            }
            case SignalMessage.PEER_DISCONNECT -> {
                Joiner gone = joiners.remove(message.id());
                if (gone != null && gone.connection != null) {
                    gone.connection.close();
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void onWebSocketClose(int code, String reason, Callback callback) {
        callback.succeed();
    }

    /** Sends {@code payload} as a SceneMultiplayer RAW packet to every open peer, reliably; how many took it. */
    public int sendToAll(byte[] payload) {
        byte[] packet = ScenePacket.raw(payload);
        int sent = 0;
        for (RtcConnection connection : open.values()) {
            if (connection.send(Channel.RELIABLE, packet)) {
                sent++;
            }
        }
        return sent;
    }

    public void close() {
        joiners.values().forEach(j -> {
            if (j.connection != null) {
                j.connection.close();
            }
        });
        closeSignaling();
    }
}

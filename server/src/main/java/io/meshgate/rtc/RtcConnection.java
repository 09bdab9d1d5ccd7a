package io.meshgate.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import io.meshgate.net.Cidr;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * One peer connection of the server to a client, with Godot's three negotiated data channels.
 *
 * <p>Listener methods run on webrtc-java's native signaling thread (or, for a connection that could not be made, on
 * the engine's own thread): they must copy what they need and return at once, never block. The methods of this class
 * may be called from any thread and never block: native work (creating the connection and its channels, applying
 * descriptions and candidates, closing) runs in call order on the engine's thread, so a caller never waits for it.
 */
public final class RtcConnection {

    /** What a connection reports; see the class comment for the thread. */
    public interface Listener {
        /** A local ICE candidate to send to the client, already filtered by the configured ranges. */
        void localCandidate(String mid, int index, String sdp);

        /** All three channels are open: the client's WebRTCMultiplayerPeer now sees the server as connected. */
        void opened();

        /** A whole message, copied out of native memory. */
        void received(Channel channel, byte[] data);

        /** The connection failed or was closed by the other side; called at most once, never after {@link #close}. */
        void closed(String reason);
    }

    /** Bytes queued in a channel above which sends are refused rather than piling up (webrtc closes at ~16 MB). */
    static final long MAX_BUFFERED = 1 << 20;
    /** Candidates that arrive before the offer are kept, up to this many (a real client sends a handful). */
    static final int MAX_EARLY_CANDIDATES = 64;

    private final RtcEngine engine;
    private final Listener listener;
    /*
     * Set on the engine's thread by create(), and read by native callbacks and senders on other threads: volatile, so
     * that whoever sees one sees it whole. Null until made, and for good if it could not be made.
     */
    private volatile RtcEngine.Generation generation;
    private volatile RTCPeerConnection connection;
    /** Godot's three channels by Channel ordinal, published whole once all exist. */
    private volatile RTCDataChannel[] channels;
    /** Per channel, a bound of what waits in it (see {@link Backlog}); each guarded by itself. */
    private final Backlog[] backlogs = Stream.generate(Backlog::new).limit(Channel.values().length)
            .toArray(Backlog[]::new);
    /** One bit per open channel, kept from state callbacks so that a send costs no JNI call to ask; under lock. */
    private volatile int openMask;
    private final Object lock = new Object();
    private List<RTCIceCandidate> early = new ArrayList<>(); // null once the remote description is set
    private boolean offerSeen;
    private volatile boolean closed;

    RtcConnection(RtcEngine engine, Listener listener) {
        this.engine = engine;
        this.listener = listener;
    }

    /** On the engine's thread: the native connection and Godot's three negotiated channels. */
    void create(RtcEngine.Generation generation, dev.onvoid.webrtc.RTCConfiguration configuration) {
        this.generation = generation;
        this.connection = generation.factory.createPeerConnection(configuration, new Observer());
        RTCDataChannel[] made = new RTCDataChannel[Channel.values().length];
        for (Channel channel : Channel.values()) {
            RTCDataChannelInit init = new RTCDataChannelInit();
            // Ids are fixed 1..3 (ids >= 1024 or duplicates crash the JVM); only one of the two limits is ever set.
            init.negotiated = true;
            init.id = channel.id;
            init.ordered = channel.ordered;
            if (channel.lifetimeLimited) {
                init.maxPacketLifeTime = engine.settings().packetLifetimeMillis();
            }
            RTCDataChannel dataChannel = connection.createDataChannel(channel.label, init);
            dataChannel.registerObserver(new ChannelObserver(channel, dataChannel, generation));
            made[channel.ordinal()] = dataChannel;
            channels = made; // published as it fills: a release after a failure midway finds what was made
        }
    }

    /** Runs native work on the engine's thread, in call order, unless the connection is closed or was never made. */
    private void later(Runnable work) {
        engine.run(() -> {
            if (!closed && connection != null) {
                work.run();
            }
        });
    }

    /** Answers the client's offer; {@code answer} receives the SDP to send back. Failures end the connection. */
    public void acceptOffer(String sdp, Consumer<String> answer) {
        synchronized (lock) {
            if (offerSeen) {
                failLater("a second offer (renegotiation is not supported)");
                return;
            }
            offerSeen = true;
        }
        later(() -> connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                remoteDescriptionSet();
                connection.createAnswer(new RTCAnswerOptions(), local("answer", answer));
            }

            @Override
            public void onFailure(String error) {
                fail("invalid offer: " + error);
            }
        }));
    }

    /**
     * The offering side, for clients (the benchmarks' bots): creates the offer; {@code offer} receives its SDP once it
     * is the local description.
     */
    public void offer(Consumer<String> offer) {
        synchronized (lock) {
            offerSeen = true;
        }
        later(() -> connection.createOffer(new RTCOfferOptions(), local("offer", offer)));
    }

    /** Sets a freshly created offer or answer as the local description, then hands its SDP on. */
    private CreateSessionDescriptionObserver local(String what, Consumer<String> sdp) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                connection.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        if (!closed) {
                            sdp.accept(description.sdp);
                        }
                    }

                    @Override
                    public void onFailure(String error) {
                        fail("could not apply the " + what + ": " + error);
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                fail("could not create an " + what + ": " + error);
            }
        };
    }

    /** Applies the other side's answer to our {@link #offer}. */
    public void acceptAnswer(String sdp) {
        later(() -> connection.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                remoteDescriptionSet();
            }

            @Override
            public void onFailure(String error) {
                fail("invalid answer: " + error);
            }
        }));
    }

    /** Runs on the signaling thread once a remote description is set: candidates kept until now go in. */
    private void remoteDescriptionSet() {
        List<RTCIceCandidate> pending;
        synchronized (lock) {
            pending = early;
            early = null;
        }
        // Native calls happen outside the lock: they run on this very thread and an observer may need it.
        for (RTCIceCandidate candidate : pending) {
            connection.addIceCandidate(candidate);
        }
    }

    /**
     * Adds a client's ICE candidate. Before the offer is applied, libwebrtc would silently drop it, so it is kept
     * until then; more than {@link #MAX_EARLY_CANDIDATES} early candidates end the connection.
     */
    public void addRemoteCandidate(String mid, int index, String sdp) {
        RTCIceCandidate candidate = new RTCIceCandidate(mid, index, sdp);
        synchronized (lock) {
            if (early != null) {
                if (early.size() >= MAX_EARLY_CANDIDATES) {
                    early = new ArrayList<>();
                    failLater("more than " + MAX_EARLY_CANDIDATES + " candidates before an offer");
                    return;
                }
                early.add(candidate);
                return;
            }
        }
        later(() -> connection.addIceCandidate(candidate));
    }

    private void failLater(String reason) {
        engine.run(() -> fail(reason));
    }

    /**
     * Sends one message. Returns false, sending nothing, if the channel is not open or this message would take what
     * waits in it past {@link #MAX_BUFFERED} bytes: webrtc-java reports no failure itself and closes channels that
     * pile up.
     */
    public boolean send(Channel channel, byte[] data) {
        if (closed) {
            return false;
        }
        // An open bit is set only after the channels were published, so they are there to be read.
        if ((openMask & 1 << channel.ordinal()) == 0) {
            return false;
        }
        RTCDataChannel dataChannel = channels[channel.ordinal()];
        Backlog backlog = backlogs[channel.ordinal()];
        synchronized (backlog) {
            if (!backlog.admits(dataChannel::getBufferedAmount, data.length)) {
                return false;
            }
            try {
                // webrtc-java sends the whole backing array, whatever the buffer's position and limit: exact-size data.
                dataChannel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(data), true));
                backlog.sent(data.length);
                return true;
            } catch (Exception e) {
                return false;
            }
        }
    }

    /**
     * An upper bound of the bytes waiting in one channel, kept without asking: asking is a JNI call that waits for
     * webrtc's own thread, and a game tick sends to every player. The bound is what the channel held when last asked
     * plus everything sent since; only when that could pass {@link #MAX_BUFFERED} is the channel asked again, about
     * once per {@code MAX_BUFFERED} bytes sent. So a send is refused exactly when the real amount and it would pass the
     * limit.
     */
    static final class Backlog {
        private long atLastAsk;
        private long sentSince;

        /** Whether {@code size} more bytes fit; {@code ask} reads the channel's real amount, when it must. */
        boolean admits(LongSupplier ask, int size) {
            if (atLastAsk + sentSince + size <= MAX_BUFFERED) {
                return true;
            }
            atLastAsk = ask.getAsLong();
            sentSince = 0;
            return atLastAsk + size <= MAX_BUFFERED;
        }

        void sent(int size) {
            sentSince += size;
        }
    }

    /** Closes the connection without calling the listener. */
    public void close() {
        if (markClosed()) {
            release();
        }
    }

    /** Bytes queued in a channel and not yet sent (0 once closed, or before the channel exists). */
    public long buffered(Channel channel) {
        RTCDataChannel[] made = channels;
        RTCDataChannel dataChannel = made == null ? null : made[channel.ordinal()];
        return closed || dataChannel == null ? 0 : dataChannel.getBufferedAmount();
    }

    boolean isClosed() {
        return closed;
    }

    private boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    private void fail(String reason) {
        if (markClosed()) {
            listener.closed(reason);
            release();
        }
    }

    private void release() {
        engine.run(() -> {
            if (connection == null) {
                if (generation != null) {
                    engine.released(generation); // the factory refused to make it
                }
                return;
            }
            RTCDataChannel[] made = channels;
            for (RTCDataChannel channel : made == null ? new RTCDataChannel[0] : made) {
                if (channel != null) {
                    channel.unregisterObserver();
                    channel.close();
                    channel.dispose();
                }
            }
            connection.close();
            engine.released(generation);
        });
    }

    /** On the engine's thread: the connection could not be made (no native library, no factory). */
    void unavailable(String reason) {
        fail("WebRTC unavailable: " + reason);
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            if (closed || !revealed(candidate.sdp)) {
                return;
            }
            listener.localCandidate(candidate.sdpMid, candidate.sdpMLineIndex, candidate.sdp);
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            if (state == RTCIceGatheringState.COMPLETE) {
                engine.countGathered();
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
                fail("peer connection " + state.name().toLowerCase());
            }
        }
    }

    /** Whether a local candidate may be shown to clients, given the configured address ranges (none: all may). */
    private boolean revealed(String sdp) {
        List<Cidr> ranges = engine.settings().revealOnly();
        if (ranges.isEmpty()) {
            return true;
        }
        // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
        String[] fields = sdp.split(" ");
        if (fields.length < 5) {
            return false;
        }
        String address = fields[4];
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    private final class ChannelObserver implements RTCDataChannelObserver {
        private final Channel channel;
        private final RTCDataChannel dataChannel;
        /** The factory generation whose message budget this channel's messages count against. */
        private final RtcEngine.Generation owner;

        ChannelObserver(Channel channel, RTCDataChannel dataChannel, RtcEngine.Generation owner) {
            this.channel = channel;
            this.dataChannel = dataChannel;
            this.owner = owner;
        }

        @Override
        public void onBufferedAmountChange(long previous) {
            // sends poll the buffered amount themselves
        }

        @Override
        public void onStateChange() {
            RTCDataChannelState state = dataChannel.getState();
            if (state == RTCDataChannelState.OPEN) {
                boolean all;
                synchronized (lock) {
                    openMask |= 1 << channel.ordinal();
                    all = openMask == (1 << Channel.values().length) - 1;
                }
                if (all && !closed) {
                    listener.opened();
                }
            } else if (state == RTCDataChannelState.CLOSED) {
                synchronized (lock) {
                    openMask &= ~(1 << channel.ordinal());
                }
                fail("channel '" + channel.label + "' closed");
            }
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            // Copy now: the buffer is native memory that is gone once this call returns.
            ByteBuffer data = buffer.data;
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            owner.received.incrementAndGet();
            engine.countReceived();
            if (!closed) {
                listener.received(channel, copy);
            }
        }
    }
}

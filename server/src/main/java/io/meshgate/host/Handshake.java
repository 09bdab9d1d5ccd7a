package io.meshgate.host;

import io.meshgate.lobby.Signal;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Negotiates one WebRTC connection between the server and a peer, in Godot's signaling: answers the peer's offer or
 * offers itself (in Godot 4 the larger id offers, in Godot 3 the lower), and trickles candidates both ways in Godot's
 * form. When the channels open it makes the connection's {@code L} (a client's {@link RtcLink}, a relay player's
 * pipe to a member) and hands received messages to it.
 *
 * <p>Its methods run on the lobby's serial executor; the connection's callbacks (webrtc-java's thread) only post
 * there.
 *
 * @param <L> what reads the connection's channels once they are open
 */
public final class Handshake<L extends Handshake.Channels> implements RtcConnection.Listener {

    /** What reads an open connection's channels, on the lobby's executor. */
    public interface Channels {
        /** A message arrived on {@code channel}. */
        void received(Channel channel, byte[] data);

        /** Closes the connection. */
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    /** What a handshake reports, on the lobby's executor. */
    public interface Events<L> {
        /** A signaling message for the peer. */
        void signal(Signal kind, String payload);

        /** The channels are open: the peer is reachable through {@code link}. */
        void opened(L link);

        /** The connection failed or the client closed it. */
        void closed(String reason);
    }

    private final int id;
    private final RtcEngine engine;
    private final Executor executor;
    private final Events<L> events;
    private final Function<RtcConnection, L> links;
    private RtcConnection connection;
    private L link;
    /** Our offer or answer has been sent: candidates may follow it (a client drops one that comes first). */
    private boolean described;
    private boolean offered;
    private boolean closed;
    private final List<String> localCandidates = new ArrayList<>();

    /** @param id the peer's id, for logs */
    public Handshake(int id, RtcEngine engine, Executor executor, Events<L> events, Function<RtcConnection, L> links) {
        this.id = id;
        this.engine = engine;
        this.executor = executor;
        this.events = events;
        this.links = links;
    }

    private RtcConnection connection() {
        if (connection == null) {
            connection = engine.open(this);
        }
        return connection;
    }

    /** The server offers (to a Godot 3 client as soon as it is announced; in Godot 4 when its id is the larger). */
    public void offer() {
        offered = true;
        connection().offer(sdp -> executor.execute(() -> described(Signal.OFFER, sdp)));
    }

    /** The peer's offer. False for a second one, which Godot never sends (no renegotiation). */
    public boolean offered(String sdp) {
        if (offered) {
            return false;
        }
        offered = true;
        connection().acceptOffer(sdp, answer -> executor.execute(() -> described(Signal.ANSWER, answer)));
        return true;
    }

    /** The peer's answer to our offer. */
    public void answered(String sdp) {
        if (connection != null) {
            connection.acceptAnswer(sdp);
        }
    }

    /** A candidate of the peer's; one that comes before its offer waits in the connection for it. */
    public void candidate(String data) {
        Candidate candidate;
        try {
            candidate = Candidate.decode(data);
        } catch (MalformedMessageException e) {
            LOG.info("Peer {}: ignoring a malformed candidate: {}", id, e.getMessage());
            return;
        }
        connection().addRemoteCandidate(candidate.mid(), candidate.index(), candidate.sdp());
    }

    private void described(Signal kind, String sdp) {
        if (closed) {
            return;
        }
        events.signal(kind, sdp);
        described = true;
        for (String candidate : localCandidates) {
            events.signal(Signal.CANDIDATE, candidate);
        }
        localCandidates.clear();
    }

    /** The peer is gone: the connection closes without another report. */
    public void close() {
        closed = true;
        if (link != null) {
            link.close();
        } else if (connection != null) {
            connection.close();
        }
    }

    // RtcConnection.Listener: webrtc-java's thread, so only post.

    @Override
    public void localCandidate(String mid, int index, String sdp) {
        String data = new Candidate(mid, index, sdp).encode();
        executor.execute(() -> {
            if (closed) {
                return;
            }
            if (described) {
                events.signal(Signal.CANDIDATE, data);
            } else {
                localCandidates.add(data);
            }
        });
    }

    @Override
    public void opened() {
        executor.execute(() -> {
            if (!closed && link == null) {
                link = links.apply(connection);
                events.opened(link);
            }
        });
    }

    @Override
    public void received(Channel channel, byte[] data) {
        executor.execute(() -> {
            if (!closed && link != null) {
                link.received(channel, data);
            }
        });
    }

    @Override
    public void closed(String reason) {
        executor.execute(() -> {
            if (!closed) {
                events.closed(reason);
            }
        });
    }
}

package io.meshgate.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's WebRTC stack: hands out {@link RtcConnection}s and owns webrtc-java's factories. Nothing outside this
 * package imports webrtc-java.
 *
 * <p>webrtc-java 0.14.0 leaks two JNI references per received message until its factory is disposed. Factories are
 * therefore used in generations: new connections go to the current one, which is retired once it has received
 * {@code generationBudget} messages and disposed when its last connection closes. Each retired generation leaves
 * one native thread behind (all share one audio module, which avoids a second), so thread growth is one per retired
 * generation and heap/native growth is bounded by the budget times the live generations.
 */
public final class RtcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtcEngine.class);

    /** Settings of the server's own peer connections. */
    public record Settings(List<String> iceUrls, String iceUsername, String iceCredential, List<Cidr> revealOnly,
                           long generationBudget, int packetLifetimeMillis, Duration connectTimeout) {
    }

    /** One factory and what it has handed out. Guarded by the engine's lock except the atomic counter. */
    static final class Generation {
        final int number;
        final PeerConnectionFactory factory;
        final AtomicLong received = new AtomicLong();
        int live;
        boolean retired;

        Generation(int number, PeerConnectionFactory factory) {
            this.number = number;
            this.factory = factory;
        }
    }

    private final Settings settings;
    /** Closes connections and disposes factories: blocking native calls never run on a lobby or callback thread. */
    private final ExecutorService janitor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "meshgate-rtc");
        thread.setDaemon(true);
        return thread;
    });
    private HeadlessAudioDeviceModule audio;
    private Generation current;
    private int generations;
    private int disposed;
    private int liveConnections;
    private boolean closed;

    public RtcEngine(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** A new peer connection with Godot's three negotiated channels; its events go to {@code listener}. */
    public synchronized RtcConnection open(RtcConnection.Listener listener) {
        if (closed) {
            throw new IllegalStateException("WebRTC engine is closed");
        }
        Generation generation = currentGeneration();
        generation.live++;
        liveConnections++;
        try {
            return new RtcConnection(this, generation, configuration(), listener);
        } catch (RuntimeException e) {
            generation.live--;
            liveConnections--;
            throw e;
        }
    }

    private Generation currentGeneration() {
        if (current != null && current.received.get() >= settings.generationBudget()) {
            LOG.info("WebRTC generation {} retired after {} messages ({} connections still on it)", current.number,
                    current.received.get(), current.live);
            current.retired = true;
            if (current.live == 0) {
                dispose(current);
            }
            current = null;
        }
        if (current == null) {
            if (audio == null) {
                audio = new HeadlessAudioDeviceModule(); // one for all factories: each one costs a thread for good
            }
            long start = System.nanoTime();
            current = new Generation(++generations, new PeerConnectionFactory(audio));
            LOG.info("WebRTC generation {} started in {} ms", current.number, (System.nanoTime() - start) / 1_000_000);
        }
        return current;
    }

    private RTCConfiguration configuration() {
        RTCConfiguration configuration = new RTCConfiguration();
        if (!settings.iceUrls().isEmpty()) {
            RTCIceServer server = new RTCIceServer();
            server.urls = new ArrayList<>(settings.iceUrls());
            server.username = settings.iceUsername();
            server.password = settings.iceCredential();
            configuration.iceServers = new ArrayList<>(List.of(server));
        }
        return configuration;
    }

    /** Runs blocking native work off the caller's thread; after {@link #close} there is nothing left to clean. */
    void janitor(Runnable work) {
        try {
            janitor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("WebRTC cleanup failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("WebRTC cleanup after the engine closed: skipped");
        }
    }

    /** Called on the janitor thread once a connection's native side is closed. */
    synchronized void released(Generation generation) {
        generation.live--;
        liveConnections--;
        if (generation.retired && generation.live == 0) {
            dispose(generation);
        }
    }

    private void dispose(Generation generation) {
        disposed++;
        janitor(() -> {
            generation.factory.dispose();
            LOG.info("WebRTC generation {} disposed", generation.number);
        });
    }

    /** Figures for benchmarks and tests: generations started and disposed, and connections alive. */
    public synchronized Stats stats() {
        return new Stats(generations, disposed, liveConnections, received.get());
    }

    /** What {@link #stats()} reports. */
    public record Stats(int generationsStarted, int generationsDisposed, int liveConnections, long messagesReceived) {
    }

    /** Every message received by any connection, ever. */
    private final AtomicLong received = new AtomicLong();

    void countReceived() {
        received.incrementAndGet();
    }

    /** Disposes every factory; connections must have been closed first (the server closes lobbies before this). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                current.retired = true;
                if (current.live == 0) {
                    dispose(current);
                }
                current = null;
            }
        }
        janitor.shutdown();
        try {
            if (!janitor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("WebRTC cleanup did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.meshgate.rtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.meshgate.net.Cidr;
import io.meshgate.wire.IceServer;
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
 *
 * <p>All native work that may take long (loading the library, creating a factory, creating, negotiating and closing
 * connections, disposing factories) runs on one thread of the engine's, {@code meshgate-rtc}, in the order it was
 * asked for; no caller, lobby executor or WebRTC callback ever waits for it.
 */
public final class RtcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtcEngine.class);

    /** Settings of the server's own peer connections. */
    /** {@code minPort}..{@code maxPort}: the UDP ports the server's connections may use; 0, 0 for any. */
    public record Settings(IceServers ice, List<Cidr> revealOnly,
                           long generationBudget, int packetLifetimeMillis, Duration connectTimeout, int minPort,
                           int maxPort) {
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
    /** Where native work runs, one task at a time in submission order; see the class comment. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
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

    /**
     * A new peer connection with Godot's three negotiated channels; its events go to {@code listener}. Returns at once:
     * the native connection is made on the engine's thread, and one that cannot be made (no native library, or the
     * engine closed) reports {@link RtcConnection.Listener#closed}.
     */
    public RtcConnection open(RtcConnection.Listener listener) {
        RtcConnection connection = new RtcConnection(this, listener);
        run(() -> create(connection));
        return connection;
    }

    /** On the engine's thread. */
    private void create(RtcConnection connection) {
        if (connection.isClosed()) {
            return; // closed before it was made: nothing to make or release
        }
        Generation generation;
        try {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the WebRTC engine is closed");
                }
                generation = currentGeneration();
                generation.live++;
                liveConnections++;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Cannot open a WebRTC connection", e);
            connection.unavailable(e.getMessage());
            return;
        }
        try {
            connection.create(generation, configuration());
        } catch (RuntimeException e) {
            LOG.error("Cannot open a WebRTC connection", e);
            connection.unavailable(e.getMessage()); // its release gives the generation back
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
        // Godot's peers speak UDP: without TCP candidates a connection holds no listening TCP sockets, and one shared
        // UDP socket per interface serves its host and reflexive candidates alike.
        PortAllocatorConfig ports = new PortAllocatorConfig(settings.minPort(), settings.maxPort(), 0);
        ports.setDisableTcp(true);
        ports.setEnableSharedSocket(true);
        configuration.portAllocatorConfig = ports;
        configuration.iceServers = new ArrayList<>();
        for (IceServer entry : settings.ice().forPeer("meshgate")) {
            RTCIceServer server = new RTCIceServer();
            server.urls = new ArrayList<>(entry.urls());
            server.username = entry.username();
            server.password = entry.credential();
            configuration.iceServers.add(server);
        }
        return configuration;
    }

    /** Runs native work on the engine's thread, after what was asked before; after {@link #close}, nothing runs. */
    void run(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("WebRTC native work failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("WebRTC work after the engine closed: skipped");
        }
    }

    /** Called on the engine's thread once a connection's native side is closed. */
    synchronized void released(Generation generation) {
        generation.live--;
        liveConnections--;
        if (generation.retired && generation.live == 0) {
            dispose(generation);
        }
    }

    private void dispose(Generation generation) {
        disposed++;
        run(() -> {
            generation.factory.dispose();
            LOG.info("WebRTC generation {} disposed", generation.number);
        });
    }

    /** Figures for benchmarks and tests: generations started and disposed, and connections alive. */
    public synchronized Stats stats() {
        return new Stats(generations, disposed, liveConnections, received.get(), gathered.get());
    }

    /**
     * What {@link #stats()} reports; {@code gatheringsCompleted} counts connections, ever, that finished gathering
     * their candidates (and so opened every socket they will).
     */
    public record Stats(int generationsStarted, int generationsDisposed, int liveConnections, long messagesReceived,
                        long gatheringsCompleted) {
    }

    private final AtomicLong gathered = new AtomicLong();

    void countGathered() {
        gathered.incrementAndGet();
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
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("WebRTC cleanup did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

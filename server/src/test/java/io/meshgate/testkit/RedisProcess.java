package io.meshgate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server of the test's own on a free loopback port, without persistence: started, killed and started
 * again on the same port as failure tests need. Never the machine's Redis service.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final List<String> output = new ArrayList<>();
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
    }

    /** Starts one on a port nothing else listens on; a port taken between choosing and binding is retried. */
    public static RedisProcess start() throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisProcess redis = new RedisProcess(freePort());
            try {
                redis.launch();
                return redis;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void launch() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--loglevel", "notice").redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
                ready.complete(false);
            } catch (IOException e) {
                ready.complete(false);
            }
        }, "redis-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("redis-server did not start on " + port + ":\n" + output());
        }
    }

    public int port() {
        return port;
    }

    /** The URL Meshgate's --cluster-redis takes. */
    /** The redis-server's process id, for tools that read its CPU. */
    public long pid() {
        return process.pid();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL, as a crash: clients see their connections reset. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port, empty (nothing was saved). */
    public void restart() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}

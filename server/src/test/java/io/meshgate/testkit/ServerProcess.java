package io.meshgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Meshgate server in a process of its own, for what only a real process shows (signals, exit status, the jar as
 * shipped): collects what it prints, tells the port it listens on, and stops it with SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Meshgate listening on [^:]+:(\\d+)");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    /** Starts {@code command} with {@code environment} added to this process's own. */
    public ServerProcess(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        reader = new Thread(this::read, "server-process-output");
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new IllegalStateException("ended without listening"));
        } catch (Exception e) {
            port.completeExceptionally(e);
        }
    }

    /** The players' port, once the server says it listens; fails with what it printed if it does not. */
    public int port() throws Exception {
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not start:\n" + output(), e);
        }
    }

    /** The process's id: the server's own once a launcher has exec'd it. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash: nothing of the server runs after it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM (the pipe of its output stays open, unlike {@link Process#destroy}). */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for it to exit 0 within {@code seconds}, and for the lines SIGTERM and a clean stop print. */
    public void expectCleanExit(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("did not exit within " + seconds + " s of SIGTERM:\n" + output());
        }
        reader.join(5_000);
        assertEquals(0, process.exitValue(), this::output);
        String printed = output();
        assertTrue(printed.contains("SIGTERM received") && printed.contains("Stopped"), printed);
    }

    /** Everything it printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly(); // only when a test already failed: the pipe closes with it
        }
        reader.join(5_000);
    }
}

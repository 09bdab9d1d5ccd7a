package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.fail;

import io.meshgate.tools.pck.Pck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a .pck in the real Godot 4.6 web runtime in headless Chromium (tools/browser/godot_run.mjs), bounded. */
final class GodotRuntime {

    private GodotRuntime() {
    }

    /** Where tools/godot4-runtime.sh unpacks the runtime; the test setup runs it. */
    static Path directory() {
        return Path.of("..", "tools", ".cache", "godot4-runtime").toAbsolutePath().normalize();
    }

    /**
     * A fresh directory for the server's {@code --play-dir}: the web runtime and {@code demo.pck}, packed now from
     * {@code godot-demo/} as it is on disk.
     */
    static Path playDir() throws IOException {
        Path play = Files.createTempDirectory("meshgate-play");
        for (String file : List.of("index.js", "index.wasm", "index.audio.worklet.js", "index.audio.position.worklet.js")) {
            Files.copy(directory().resolve(file), play.resolve(file));
        }
        new Pck(4, 6, 0).addDirectory(Path.of("..", "godot-demo")).write(play.resolve("demo.pck"));
        return play;
    }

    /** A runtime process whose output lines can be awaited while it runs. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Running(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
                synchronized (lines) {
                    lines.notifyAll();
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line containing {@code text}, waiting for it up to {@code seconds}. */
        String await(String text, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (line.contains(text)) {
                            return line;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(text)))) {
                        fail("no '" + text + "' from the Godot runtime within " + seconds + " s:\n" + String.join("\n", lines));
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                }
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        int waitFor(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the Godot runtime did not finish in " + seconds + " s:\n" + String.join("\n", lines()));
            }
            // the process has exited: its output ends, and the reader takes the last lines before it stops
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts {@code tabs} copies of the game; godot_run.mjs exits 0 once each has printed {@code marker}. */
    static Running start(Path pck, String marker, int tabs, List<String> userArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(),
                "--runtime", directory().toString(), "--pck", pck.toString(), "--marker", marker,
                "--timeout", "90000", "--tabs", Integer.toString(tabs), "--"));
        command.addAll(userArgs);
        return new Running(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Starts Godot 3.2 headless (Debian's godot3-server, which the test setup installs) on a SceneTree script, with
     * its own HOME so that nothing is read from or written to the user's.
     */
    static Running godot3(Path script, Path home, List<String> userArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("godot3-server", "-s", script.toAbsolutePath().toString(), "--"));
        command.addAll(userArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("LANG", "en_US.UTF-8");
        return new Running(builder.start());
    }

    /** Runs {@code tabs} copies of the game until each prints {@code marker}; returns every line the engines printed. */
    static List<String> run(Path pck, String marker, int tabs, List<String> userArgs) throws Exception {
        try (Running running = start(pck, marker, tabs, userArgs)) {
            // A GDScript error does not fail the engine: success is the marker in every tab, checked by godot_run.mjs.
            if (running.waitFor(120) != 0) {
                fail("the Godot runtime did not print " + marker + " in every tab:\n" + String.join("\n", running.lines()));
            }
            return running.lines();
        }
    }
}

package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    /** Runs {@code tabs} copies of the game until each prints {@code marker}; returns every line the engines printed. */
    static List<String> run(Path pck, String marker, int tabs, List<String> userArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", Path.of("..", "tools", "browser", "godot_run.mjs").toString(),
                "--runtime", directory().toString(), "--pck", pck.toString(), "--marker", marker,
                "--timeout", "90000", "--tabs", Integer.toString(tabs), "--"));
        command.addAll(userArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the Godot runtime did not finish in 120 s: " + lines);
        }
        reader.join(5_000);
        // A GDScript error does not fail the engine: success is the marker in every tab, which godot_run.mjs checks.
        if (process.exitValue() != 0) {
            fail("the Godot runtime did not print " + marker + " in every tab: " + String.join("\n", lines));
        }
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}

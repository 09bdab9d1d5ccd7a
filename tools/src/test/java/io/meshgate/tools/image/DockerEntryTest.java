package io.meshgate.tools.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.testkit.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image's contents, without Docker (no engine runs here): its entry command, environment, unprivileged user and
 * the files it copies, read from the Dockerfile's last stage, run on what this build made. It must start with a
 * bounded heap, answer /health and stop cleanly on SIGTERM, as `docker run` and `docker stop` would have it.
 */
class DockerEntryTest {

    private static final String IMAGE_DIR = "/opt/meshgate/";
    /** Where the build stage works: its files are this repository's (the jar, once built, is in server/target). */
    private static final String BUILD_DIR = "/src/";

    /** The Dockerfile's final stage: its ENV pairs, its ENTRYPOINT, its USER and its COPY destinations' sources. */
    private record Stage(Map<String, String> env, List<String> entrypoint, String user, Map<String, String> copies) {
    }

    private static Stage lastStage(Path dockerfile) throws Exception {
        List<String> lines = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                joined.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(joined.append(line).toString().trim());
            joined.setLength(0);
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> copies = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        String user = "root";
        Pattern pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
        for (String line : lines) {
            if (line.startsWith("FROM ")) {
                env.clear();
                copies.clear();
                entrypoint = List.of();
                user = "root";
            } else if (line.startsWith("ENV ")) {
                Matcher m = pair.matcher(line.substring(4));
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                }
            } else if (line.startsWith("ENTRYPOINT ")) {
                entrypoint = Arrays.asList(new ObjectMapper().readValue(line.substring(11), String[].class));
            } else if (line.startsWith("USER ")) {
                user = line.substring(5).trim();
            } else if (line.startsWith("COPY ")) {
                String[] parts = line.substring(5).trim().split("\\s+");
                boolean fromBuild = parts[0].equals("--from=build");
                String source = parts[fromBuild ? 1 : 0];
                copies.put(parts[parts.length - 1], fromBuild ? source.replaceFirst("^" + BUILD_DIR, "") : source);
            }
        }
        return new Stage(env, entrypoint, user, copies);
    }

    @Test
    void theImagesEntryCommandStartsServesHealthAndStopsOnSigterm() throws Exception {
        Stage stage = lastStage(Path.of("..", "Dockerfile"));
        assertTrue(!stage.entrypoint().isEmpty(), "the image has an entry command");
        assertTrue(!stage.user().equals("root"), "the image runs as a user of its own, not root");

        // Everything the image copies into /opt/meshgate, readable (and the launcher runnable) by an unprivileged
        // user, as the image has it.
        Path dir = Files.createTempDirectory("meshgate-image", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Path> copied = new ArrayList<>();
        for (Map.Entry<String, String> copy : stage.copies().entrySet()) {
            if (copy.getKey().startsWith(IMAGE_DIR)) {
                Path source = Path.of("..").resolve(copy.getValue());
                Path target = dir.resolve(copy.getKey().substring(IMAGE_DIR.length()));
                Files.copy(source, target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        Files.isExecutable(source) ? "rwxr-xr-x" : "rw-r--r--"));
                copied.add(target);
            }
        }
        assertTrue(stage.copies().containsKey(stage.entrypoint().get(0)),
                "the entry command is a file the image copies: " + stage.entrypoint() + " " + stage.copies());

        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // as a user without privileges, the way USER makes the image run (nobody stands in for it here)
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        for (String part : stage.entrypoint()) {
            command.add(part.startsWith(IMAGE_DIR) ? dir.resolve(part.substring(IMAGE_DIR.length())).toString()
                    : part);
        }
        // `docker run IMAGE <args>` replaces CMD: loopback and free ports, as a test must have them
        command.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0"));
        Map<String, String> environment = new LinkedHashMap<>(stage.env());
        environment.put("HOME", dir.toString());
        try (ServerProcess server = new ServerProcess(command, environment)) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            // The process serving is java itself (exec'd, so it receives the SIGTERM), with the launcher's settings.
            String commandLine = Files.readString(Path.of("/proc", Long.toString(server.pid()), "cmdline"))
                    .replace('\0', ' ');
            assertTrue(commandLine.contains("-Xmx") && commandLine.contains("-jar"),
                    "java with a bounded heap: " + commandLine);
            String processEnvironment = Files.readString(Path.of("/proc", Long.toString(server.pid()), "environ"));
            assertTrue(processEnvironment.contains("\0MALLOC_ARENA_MAX=2\0")
                    || processEnvironment.startsWith("MALLOC_ARENA_MAX=2\0"), "few glibc arenas");
            server.sigterm(); // as docker stop sends
            server.expectCleanExit(30);
        } finally {
            for (Path file : copied) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        }
    }
}

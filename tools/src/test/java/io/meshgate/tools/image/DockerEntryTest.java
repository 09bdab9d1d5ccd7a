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
 * The image's contents, without Docker (no engine runs here): its entry command, environment and unprivileged user,
 * read from the Dockerfile's last stage, run on the jar this build made. It must start, answer /health and stop
 * cleanly on SIGTERM, as `docker run` and `docker stop` would have it.
 */
class DockerEntryTest {

    private static final String IMAGE_JAR = "/opt/meshgate/meshgate-server.jar";

    /** The Dockerfile's final stage: its ENV pairs, its ENTRYPOINT and its USER. */
    private record Stage(Map<String, String> env, List<String> entrypoint, String user) {
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
        List<String> entrypoint = List.of();
        String user = "root";
        Pattern pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
        for (String line : lines) {
            if (line.startsWith("FROM ")) {
                env.clear();
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
            }
        }
        return new Stage(env, entrypoint, user);
    }

    @Test
    void theImagesEntryCommandStartsServesHealthAndStopsOnSigterm() throws Exception {
        Stage stage = lastStage(Path.of("..", "Dockerfile"));
        assertTrue(!stage.entrypoint().isEmpty() && String.join(" ", stage.entrypoint()).contains(IMAGE_JAR),
                "the entry command runs the server jar: " + stage.entrypoint());
        assertTrue(!stage.user().equals("root"), "the image runs as a user of its own, not root");
        assertTrue(stage.env().get("JAVA_OPTS").contains("-Xmx"), "a bounded heap: " + stage.env());

        // The jar where an unprivileged user can read it, as the image has it in /opt.
        Path dir = Files.createTempDirectory("meshgate-image", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path jar = dir.resolve("meshgate-server.jar");
        Files.copy(Path.of("..", "server", "target", "meshgate-server.jar"), jar);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));

        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // as a user without privileges, the way USER makes the image run (nobody stands in for it here)
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        for (String part : stage.entrypoint()) {
            command.add(part.replace(IMAGE_JAR, jar.toString()));
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
            server.sigterm(); // as docker stop sends
            server.expectCleanExit(30);
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(dir);
        }
    }
}

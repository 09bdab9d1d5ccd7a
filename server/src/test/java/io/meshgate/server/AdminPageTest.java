package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The admin page in a real headless Chromium ({@code tools/browser/admin_page.mjs}, through playwright-core): it lists
 * a lobby a client created, an action without the token is refused, and closing the lobby from the page closes the
 * client with the documented reason; no script error and no console error on the way. Screenshots go to
 * {@code target/admin-page/}.
 */
class AdminPageTest {

    private static final Path SCRIPT = Path.of("../tools/browser/admin_page.mjs");
    private static final String TOKEN = "page-test-token";

    @Test
    void anOperatorClosesALobbyFromThePage() throws Exception {
        try (TestServer server = new TestServer("--admin-token", TOKEN)) {
            SignalingClient player = server.connect();
            String lobby = player.create(true);
            Path screenshots = Files.createDirectories(Path.of("target", "admin-page"));
            Map<String, JsonNode> steps = run(List.of("node", SCRIPT.toString(), "--url",
                    "http://127.0.0.1:" + server.server.adminPort() + "/", "--token", TOKEN, "--lobby", lobby,
                    "--screenshots", screenshots.toString()));

            assertTrue(!steps.containsKey("error"), "the script failed: " + steps);
            List<String> cells = new ArrayList<>();
            steps.get("listed").get("cells").forEach(cell -> cells.add(cell.asText()));
            assertEquals(lobby, cells.get(1), "the page lists the client's lobby: " + cells);
            assertEquals("godot4", cells.get(2));
            assertEquals("1", cells.get(5), "one member");
            assertTrue(steps.get("refused").get("status").asText().contains("token is missing or wrong"),
                    steps.get("refused").toString());
            assertTrue(steps.get("closed").get("status").asText().contains("done"), steps.get("closed").toString());
            assertTrue(steps.containsKey("unlisted"), "the closed lobby left the page: " + steps);
            assertEquals(new CloseStatus(4000, "Lobby closed by the server's operator"), player.awaitClose());
            assertTrue(steps.get("phone").get("overflowPixels").asInt() <= 0,
                    "a phone's screen holds the page's width: " + steps.get("phone"));

            for (JsonNode message : steps.get("console").get("messages")) {
                String phase = message.get("phase").asText();
                String type = message.get("type").asText();
                boolean refusedRequest = phase.equals("without token") && type.equals("error")
                        && message.get("text").asText().contains("401");
                if (type.equals("pageerror") || (type.equals("error") && !refusedRequest)) {
                    fail("console error on the admin page (" + phase + "): " + message.get("text").asText());
                }
            }
        }
    }

    /** Runs the browser script to its end (bounded) and returns its steps by event name. */
    private static Map<String, JsonNode> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // read while it runs: a full pipe would stall the script
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "cannot read the script's output: " + e;
            }
        });
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the browser script did not finish within 90 s");
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        String output;
        try {
            output = read.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the script's output", e);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode step = json.readTree(line);
                steps.put(step.get("event").asText(), step);
            }
        }
        assertTrue(steps.containsKey("console"), "the script reported nothing: " + output);
        return steps;
    }
}

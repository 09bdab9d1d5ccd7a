package io.meshgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /play/ over real HTTP: what it serves, with what type, and what it refuses. */
class PlayHandlerTest {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(MeshgateServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheRuntimeAndTheDemoWithTheirTypes(@TempDir Path play) throws Exception {
        Files.writeString(play.resolve("index.js"), "// engine");
        Files.write(play.resolve("index.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.write(play.resolve("demo.pck"), new byte[] {'G', 'D', 'P', 'C'});
        Files.writeString(play.resolve("secret.txt"), "not for the web");
        try (MeshgateServer server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0",
                "--play-dir", play.toString())).start()) {
            assertEquals(302, get(server, "/play").statusCode());
            HttpResponse<String> page = get(server, "/play/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("new Engine("), page.body());
            assertEquals("application/wasm", get(server, "/play/index.wasm").headers().firstValue("content-type").orElse(""));
            assertEquals(200, get(server, "/play/demo.pck").statusCode());
            assertEquals(404, get(server, "/play/secret.txt").statusCode(), "only the engine's files are served");
            assertEquals(404, get(server, "/play/../pom.xml").statusCode());
        }
    }

    @Test
    void withoutAPlayDirectoryItSaysHowToGetOne() throws Exception {
        try (MeshgateServer server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0")).start()) {
            HttpResponse<String> page = get(server, "/play/");
            assertEquals(404, page.statusCode());
            assertTrue(page.body().contains("--play-dir"), page.body());
        }
    }
}

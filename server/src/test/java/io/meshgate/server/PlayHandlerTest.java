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
        try (MeshgateServer server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
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

    /**
     * Jetty's resource service, not a hand-written copy into the heap: ranges, validation by ETag, and a precompressed
     * variant for a browser that accepts it.
     */
    @Test
    void servesRangesEtagsAndPrecompressedFiles(@TempDir Path play) throws Exception {
        byte[] wasm = new byte[3 << 20];
        new java.util.Random(7).nextBytes(wasm);
        Files.write(play.resolve("index.wasm"), wasm);
        Files.write(play.resolve("index.wasm.br"), new byte[] {'b', 'r', '!'});
        Files.write(play.resolve("demo.pck"), new byte[] {'G', 'D', 'P', 'C'});
        try (MeshgateServer server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0",
                "--play-dir", play.toString())).start()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/play/index.wasm");
            HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertTrue(java.util.Arrays.equals(wasm, whole.body()), "the whole file, streamed");
            assertEquals("no-cache", whole.headers().firstValue("cache-control").orElse(""));
            String etag = whole.headers().firstValue("etag").orElseThrow();

            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(uri).header("Range", "bytes=100-199").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, range.statusCode());
            assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(wasm, 100, 200), range.body()));

            HttpResponse<byte[]> unchanged = http.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag)
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(304, unchanged.statusCode(), "a browser that has it is not sent it again");

            HttpResponse<byte[]> brotli = http.send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "br")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("br", brotli.headers().firstValue("content-encoding").orElse(""));
            assertEquals("application/wasm", brotli.headers().firstValue("content-type").orElse(""));
            assertEquals("br!", new String(brotli.body(), java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(404, get(server, "/play/index.wasm.br").statusCode(), "variants only through negotiation");
        }
    }

    @Test
    void withoutAPlayDirectoryItSaysHowToGetOne() throws Exception {
        try (MeshgateServer server = new MeshgateServer(Config.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0")).start()) {
            HttpResponse<String> page = get(server, "/play/");
            assertEquals(404, page.statusCode());
            assertTrue(page.body().contains("--play-dir"), page.body());
        }
    }
}

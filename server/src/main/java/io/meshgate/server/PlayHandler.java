package io.meshgate.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.CompressedContentFormat;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.PreCompressedHttpContentFactory;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * {@code /play/}: the demo in the browser, from the server alone. Serves the Godot 4 web runtime and the packed
 * godot-demo from {@code --play-dir} (tools/play-bundle.sh makes one). {@code /play/?bot&...} runs the demo headless
 * as a bot, every other query parameter becoming a user argument ({@code ?bot&hosting=server} gives
 * {@code --bot --hosting server}).
 *
 * <p>Files are served by Jetty's own resource service, never read whole into the heap: streamed from the file,
 * revalidated by ETag, with ranges, and from a precompressed {@code .br} or {@code .gz} beside the file when the
 * browser accepts it (the 37 MB engine is about 9 MB as Brotli).
 */
final class PlayHandler extends Handler.Abstract {

    /** The files a play directory holds; nothing else is served. */
    private static final Set<String> FILES = Set.of("index.js", "index.wasm", "index.audio.worklet.js",
            "index.audio.position.worklet.js", "demo.pck");

    private final Path directory;
    /** Null without a directory. */
    private final ResourceService files;

    PlayHandler(Path directory) {
        this.directory = directory;
        if (directory == null) {
            this.files = null;
            return;
        }
        MimeTypes.Mutable types = new MimeTypes.Mutable(MimeTypes.DEFAULTS);
        types.addMimeMapping("pck", "application/octet-stream");
        List<CompressedContentFormat> precompressed = List.of(CompressedContentFormat.BR, CompressedContentFormat.GZIP);
        HttpContent.Factory contents = new PreCompressedHttpContentFactory(new ResourceHttpContentFactory(
                ResourceFactory.root().newResource(directory), types, ByteBufferPool.SIZED_NON_POOLING), precompressed);
        files = new ResourceService();
        files.setHttpContentFactory(contents);
        files.setPrecompressedFormats(precompressed);
        files.setEtags(true);
        files.setAcceptRanges(true);
        files.setDirAllowed(false);
        // A new bundle may replace the files under the same names: browsers revalidate (a 304 when unchanged).
        files.setCacheControl("no-cache");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        if (!path.equals("/play") && !path.startsWith("/play/")) {
            return false;
        }
        if (path.equals("/play")) {
            Response.sendRedirect(request, response, callback, "/play/");
            return true;
        }
        String name = path.substring("/play/".length());
        if (directory == null || !Files.isRegularFile(directory.resolve("index.wasm"))
                || !Files.isRegularFile(directory.resolve("demo.pck"))) {
            send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain",
                    "The demo is not installed on this server: start it with --play-dir pointing at a directory made "
                            + "by tools/play-bundle.sh (see the README).\n");
            return true;
        }
        if (name.isEmpty() || name.equals("index.html")) {
            send(response, callback, HttpStatus.OK_200, "text/html", PAGE);
            return true;
        }
        HttpContent content = FILES.contains(name) ? files.getContent("/" + name, request) : null;
        if (content == null) {
            send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "Not found\n");
            return true;
        }
        files.doGet(request, response, callback, content);
        return true;
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
        response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The engine page. A headless engine needs a 0x0 canvas: any other size sends its main loop astray. */
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Meshgate demo</title>
            <style>html,body{margin:0;height:100%;background:#111}canvas{display:block;width:100%;height:100%}</style>
            </head><body><canvas id="canvas"></canvas>
            <script src="index.js"></script><script>
            const query = new URLSearchParams(location.search);
            const bot = query.has('bot');
            const canvas = document.getElementById('canvas');
            const args = [];
            for (const [key, value] of query) { args.push('--' + key); if (value !== '') args.push(value); }
            if (bot) { canvas.width = 0; canvas.height = 0; canvas.style.display = 'none'; }
            const engine = new Engine({ executable: 'index', mainPack: 'demo.pck', canvas,
              canvasResizePolicy: bot ? 0 : 2, args: bot ? ['--headless', '--', ...args] : ['--', ...args] });
            engine.startGame().catch((e) => console.error('GODOT-START-FAILED ' + e));
            </script></body></html>
            """;
}

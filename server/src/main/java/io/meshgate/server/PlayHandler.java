package io.meshgate.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /play/}: the demo in the browser, from the server alone. Serves the Godot 4 web runtime and the packed
 * godot-demo from {@code --play-dir} (tools/play-bundle.sh makes one). {@code /play/?bot&...} runs the demo headless
 * as a bot, every other query parameter becoming a user argument ({@code ?bot&hosting=server} gives
 * {@code --bot --hosting server}).
 */
final class PlayHandler extends Handler.Abstract {

    /** The files a play directory holds, and their types; nothing else is served. */
    private static final Map<String, String> FILES = Map.of(
            "index.js", "text/javascript",
            "index.wasm", "application/wasm",
            "index.audio.worklet.js", "text/javascript",
            "index.audio.position.worklet.js", "text/javascript",
            "demo.pck", "application/octet-stream");

    private final Path directory;

    PlayHandler(Path directory) {
        this.directory = directory;
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
        String type = FILES.get(name);
        if (type == null) {
            send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "Not found\n");
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, java.nio.ByteBuffer.wrap(Files.readAllBytes(directory.resolve(name))), callback);
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

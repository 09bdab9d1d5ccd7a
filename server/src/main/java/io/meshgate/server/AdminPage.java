package io.meshgate.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin page on the admin listener: three small files served from the jar (no build step, nothing fetched from
 * elsewhere), read once at start. The page shows what clients chose (room names, nicknames) and so is served with a
 * policy that runs only its own script: text a client chose can never become code.
 */
final class AdminPage extends Handler.Abstract {

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(String type, byte[] bytes) {
    }

    private final Map<String, File> files = Map.of(
            "/", new File("text/html; charset=utf-8", read("index.html")),
            "/admin.js", new File("text/javascript; charset=utf-8", read("admin.js")),
            "/admin.css", new File("text/css; charset=utf-8", read("admin.css")));

    private static byte[] read(String name) {
        try (InputStream in = AdminPage.class.getResourceAsStream("admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("admin page file missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        File file = files.get(Request.getPathInContext(request));
        if (file == null) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.type());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(file.bytes()), callback);
        return true;
    }
}

package io.meshgate.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code POST /drain} on the admin listener, with the admin token: drains the server as SIGTERM does. */
final class DrainHandler extends Handler.Abstract {

    private final Runnable drain;
    private final AdminToken token;

    DrainHandler(Runnable drain, String adminToken) {
        this.drain = drain;
        this.token = new AdminToken(adminToken);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/drain".equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        if (!token.allows(request, response, callback, "drain")) {
            return true;
        }
        drain.run();
        response.setStatus(HttpStatus.ACCEPTED_202);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.write(true, ByteBuffer.wrap("DRAINING\n".getBytes(StandardCharsets.US_ASCII)), callback);
        return true;
    }
}

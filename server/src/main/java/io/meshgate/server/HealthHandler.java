package io.meshgate.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health}: 200 and {@code OK} while the server takes players, as GStreamer's server answers; 503 and
 * {@code DRAINING} while it drains, so that a load balancer sends new players elsewhere.
 */
final class HealthHandler extends Handler.Abstract {

    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "DRAINING\n".getBytes(StandardCharsets.US_ASCII);

    private final BooleanSupplier draining;

    HealthHandler(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        boolean leaving = draining.getAsBoolean();
        response.setStatus(leaving ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.write(true, ByteBuffer.wrap(leaving ? DRAINING : OK), callback);
        return true;
    }
}

package io.meshgate.server;

import io.meshgate.cluster.Cluster;
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
 * {@code DRAINING} while it drains, so that a load balancer sends new players elsewhere. A cluster node adds a line
 * with its view of the cluster: {@code cluster <node id> redis reachable|unreachable nodes <n>}.
 */
final class HealthHandler extends Handler.Abstract {

    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "DRAINING\n".getBytes(StandardCharsets.US_ASCII);

    private final BooleanSupplier draining;
    /** Null on a single node. */
    private final Cluster cluster;

    HealthHandler(BooleanSupplier draining, Cluster cluster) {
        this.draining = draining;
        this.cluster = cluster;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        boolean leaving = draining.getAsBoolean();
        response.setStatus(leaving ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        byte[] status = leaving ? DRAINING : OK;
        if (cluster != null) {
            Cluster.View view = cluster.view();
            String line = "cluster " + cluster.nodeId() + " redis " + (view.redisReachable() ? "reachable"
                    : "unreachable") + " nodes " + view.nodes().size() + "\n";
            byte[] both = new byte[status.length + line.length()];
            System.arraycopy(status, 0, both, 0, status.length);
            System.arraycopy(line.getBytes(StandardCharsets.US_ASCII), 0, both, status.length, line.length());
            status = both;
        }
        response.write(true, ByteBuffer.wrap(status), callback);
        return true;
    }
}

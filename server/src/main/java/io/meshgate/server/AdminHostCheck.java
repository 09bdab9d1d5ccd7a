package io.meshgate.server;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin listener only to requests addressed to it by IP address, {@code localhost} or the name given to
 * {@code --admin-host}. Reading the admin listener needs no token, so without this a web page the operator happens
 * to visit could read it through DNS rebinding (a name of the page's that resolves to 127.0.0.1). {@code /health}
 * and {@code /metrics}, which hold nothing about players and are probed by machines under any name, are exempt.
 */
final class AdminHostCheck extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHostCheck.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<String> EXEMPT = Set.of("/health", "/metrics");

    private final String adminHost;

    AdminHostCheck(String adminHost, Handler handler) {
        super(handler);
        this.adminHost = adminHost.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = Request.getServerName(request);
        if (EXEMPT.contains(Request.getPathInContext(request)) || allowed(host)) {
            return super.handle(request, response, callback);
        }
        LOG.info("Admin request from {} refused: addressed to host name '{}' (use an address, localhost or {})",
                Request.getRemoteAddr(request), host, adminHost);
        Response.writeError(request, response, callback, HttpStatus.MISDIRECTED_REQUEST_421,
                "Address the admin listener by IP address, localhost or its --admin-host name");
        return true;
    }

    /** Literals are checked by their form only: a name is never resolved here. */
    private boolean allowed(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        return IPV4.matcher(name).matches() || name.indexOf(':') >= 0 || name.startsWith("[")
                || name.equals("localhost") || name.equals(adminHost);
    }
}

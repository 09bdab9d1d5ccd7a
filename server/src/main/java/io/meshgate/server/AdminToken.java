package io.meshgate.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token every action on the admin listener needs, sent as {@code Authorization: Bearer <token>} (never in
 * a URL, which ends up in logs). Without a configured token every action is refused. The token is never logged.
 */
final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the request carries the token; if not, it has been answered (403 when no token is configured, 401 when
     * it is missing or wrong) and the refusal logged with what was asked and by whom.
     */
    boolean allows(Request request, Response response, Callback callback, String action) {
        String who = Request.getRemoteAddr(request);
        if (token.length == 0) {
            LOG.info("Admin action '{}' from {} refused: no --admin-token is configured", action, who);
            refuse(request, response, callback, HttpStatus.FORBIDDEN_403);
            return false;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        byte[] given = header != null && header.startsWith(BEARER)
                ? header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        // Constant time: how much of a guess was right must not show in how long the refusal takes.
        if (!MessageDigest.isEqual(token, given)) {
            LOG.info("Admin action '{}' from {} refused: {} token", action, who, header == null ? "no" : "wrong");
            refuse(request, response, callback, HttpStatus.UNAUTHORIZED_401);
            return false;
        }
        LOG.info("Admin action '{}' by {}", action, who);
        return true;
    }

    private static void refuse(Request request, Response response, Callback callback, int status) {
        if (status == HttpStatus.UNAUTHORIZED_401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        Response.writeError(request, response, callback, status);
    }
}

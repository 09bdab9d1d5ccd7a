package io.meshgate.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshgate.lobby.Journal;
import io.meshgate.lobby.LobbyService;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The admin page's JSON on the admin listener: {@code GET /lobbies} (open lobbies and their members),
 * {@code GET /journal} (recent refusals and closes), and the fixed list of lobby actions, each a {@code POST} with
 * the admin token: {@code /lobbies/<n>/close}, {@code /lobbies/<n>/seal}, {@code /lobbies/<n>/members/<id>/kick}.
 * ({@code POST /drain} is {@link DrainHandler}'s.) Every action is logged and journaled with who asked.
 */
final class AdminApi extends Handler.Abstract {

    /** The most lobbies one listing reads: each costs a task on its lobby's executor. */
    static final int MAX_LISTED = 1000;
    private static final int DEFAULT_LISTED = 200;
    /** A lobby busy for longer than this is left to the next refresh rather than holding the request. */
    private static final long LIST_TIMEOUT_MS = 5000;
    private static final Pattern LOBBY_ACTION = Pattern.compile("/lobbies/(\\d{1,18})/(close|seal)");
    private static final Pattern MEMBER_ACTION = Pattern.compile("/lobbies/(\\d{1,18})/members/(\\d{1,10})/kick");

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
    private final LobbyService lobbies;
    private final AdminToken token;

    AdminApi(LobbyService lobbies, String adminToken) {
        this.lobbies = lobbies;
        this.token = new AdminToken(adminToken);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean get = HttpMethod.GET.is(request.getMethod());
        if (path.equals("/lobbies") || path.equals("/journal")) {
            if (!get) {
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            } else if (path.equals("/journal")) {
                Journal journal = lobbies.journal();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("total", journal.total());
                body.put("entries", journal.entries());
                write(response, callback, HttpStatus.OK_200, body);
            } else {
                list(request, response, callback);
            }
            return true;
        }
        Matcher lobbyAction = LOBBY_ACTION.matcher(path);
        Matcher memberAction = MEMBER_ACTION.matcher(path);
        boolean onLobby = lobbyAction.matches();
        if (!onLobby && !memberAction.matches()) {
            return false;
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        long number;
        int member = 0;
        String action;
        try {
            number = Long.parseLong((onLobby ? lobbyAction : memberAction).group(1));
            if (onLobby) {
                action = lobbyAction.group(2) + " lobby #" + number;
            } else {
                member = Integer.parseInt(memberAction.group(2));
                action = "kick member " + member + " of lobby #" + number;
            }
        } catch (NumberFormatException tooLarge) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        if (!token.allows(request, response, callback, action)) {
            return true;
        }
        lobbies.journal().add("admin", Request.getRemoteAddr(request), action);
        CompletableFuture<LobbyService.Outcome> outcome;
        if (!onLobby) {
            outcome = lobbies.kick(number, member);
        } else if (lobbyAction.group(2).equals("close")) {
            outcome = lobbies.close(number);
        } else {
            outcome = lobbies.seal(number);
        }
        outcome.orTimeout(LIST_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((done, failure) -> {
            if (failure != null) {
                write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        Map.of("error", "the lobby did not answer in time"));
                return;
            }
            int status = switch (done) {
                case DONE -> HttpStatus.OK_200;
                case NO_SUCH_LOBBY, NO_SUCH_MEMBER -> HttpStatus.NOT_FOUND_404;
                case NOT_ALLOWED -> HttpStatus.CONFLICT_409;
            };
            write(response, callback, status, Map.of("outcome", done.name().toLowerCase(Locale.ROOT)));
        });
        return true;
    }

    private void list(Request request, Response response, Callback callback) {
        int limit = DEFAULT_LISTED;
        Fields query = Request.extractQueryParameters(request);
        String asked = query.getValue("limit");
        if (asked != null) {
            try {
                limit = Math.max(0, Math.min(MAX_LISTED, Integer.parseInt(asked)));
            } catch (NumberFormatException e) {
                write(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "limit must be a number"));
                return;
            }
        }
        int open = lobbies.lobbyCount();
        lobbies.list(limit).orTimeout(LIST_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((listed, failure) -> {
            if (failure != null) {
                write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        Map.of("error", "a lobby did not answer in time"));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("open", open);
            body.put("lobbies", listed);
            write(response, callback, HttpStatus.OK_200, body);
        });
    }

    private void write(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}

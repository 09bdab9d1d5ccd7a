package io.meshgate.server;

import io.meshgate.auth.Tokens;
import io.meshgate.host.Hosts;
import io.meshgate.lobby.LobbyService;
import io.meshgate.match.MatchService;
import io.meshgate.net.ClientAddress;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import io.meshgate.relay.Godot3RelayPeer;
import io.meshgate.relay.Godot4RelayPeer;
import io.meshgate.relay.RelayPeer;
import io.meshgate.relay.StandIns;
import io.meshgate.rtc.IceServers;
import io.meshgate.signaling.GStreamerPeer;
import io.meshgate.signaling.GStreamerRegistry;
import io.meshgate.signaling.Godot3Peer;
import io.meshgate.signaling.Godot4Peer;
import io.meshgate.signaling.RoomsPeer;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.Join;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Mounts every endpoint on its path of a Jetty container: the signaling dialects, and the relay for clients without
 * WebRTC. Each path makes one {@link io.meshgate.net.SocketPeer} per connection.
 */
final class Endpoints {

    /** A relay client's resume token: its own, so it must at least look random enough (96 bits and more). */
    private static final Pattern RESUME_KEY = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private Endpoints() {
    }

    /**
     * Godot 4's protocol answers on {@code /} and, like Godot's own server, on any path no other dialect claims, so
     * a client pointed at {@code ws://host:9080} or {@code ws://host:9080/anything} works unchanged.
     */
    static void mount(ServerWebSocketContainer container, boolean compression, ClientAddress addresses,
                      LobbyService lobbies, Connections connections, Duration noLobbyTimeout,
                      Duration browseTimeout, boolean serverHostedByDefault, Hosts hosts,
                      RoomsPeer.Timeouts roomTimeouts, MatchService matches, Tokens tokens, IceServers ice,
                      StandIns standIns, GStreamerRegistry gstreamer) {
        mount(new Paths(container, compression, addresses, tokens), lobbies, connections, noLobbyTimeout, browseTimeout,
                serverHostedByDefault, hosts, roomTimeouts, matches, ice, standIns, gstreamer);
    }

    /**
     * Maps paths to creators: tells each peer the client's address (see {@link ClientAddress}) and, with
     * authentication ({@code tokens} not null), who its {@code ?token=} says it is or why it is refused; accepts no
     * WebSocket extension unless compression was asked for.
     */
    private record Paths(ServerWebSocketContainer container, boolean compression, ClientAddress addresses,
                         Tokens tokens) {
        void addMapping(String path, WebSocketCreator creator) {
            container.addMapping(path, (request, response, callback) -> {
                String name = playerName(request);
                if (name == null) {
                    Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400,
                            "Invalid name: at most " + Join.MAX_NAME + " characters, no control characters");
                    return null;
                }
                String seat = lastQueryValue(request, "seat");
                if (seat != null && (seat.isEmpty() || seat.length() > Join.MAX_SEAT)) {
                    Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "Invalid seat");
                    return null;
                }
                String resumeKey = lastQueryValue(request, "resume_key");
                String resume = lastQueryValue(request, "resume");
                if (!validResumeKeys(resumeKey, resume)) {
                    Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "Invalid resume key: "
                            + "16 to 64 of A-Z a-z 0-9 _ -, and a new one for each connection");
                    return null;
                }
                if (!compression) {
                    response.setExtensions(List.of()); // a client's permessage-deflate offer is declined
                }
                Object endpoint = creator.createWebSocket(request, response, callback);
                if (endpoint instanceof SocketPeer peer) {
                    peer.from(addresses.of(request.getConnectionMetaData().getRemoteSocketAddress(),
                            request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR)));
                    if (tokens != null) {
                        Tokens.Verdict verdict = tokens.check(lastQueryValue(request, "token"));
                        if (verdict.refusal() != null) {
                            peer.refuse(refusal(verdict.refusal()));
                        } else {
                            peer.identify(verdict.identity().userId(), verdict.identity().name());
                        }
                    }
                    peer.describe(name, Map.of());
                    if (seat != null) {
                        peer.claimSeat(seat); // a matched player's seat, shown by a relay client as it joins
                    }
                    if (peer instanceof RelayPeer relay) {
                        relay.resumeWith(resumeKey, resume);
                    }
                }
                return endpoint;
            });
        }
    }

    /** Each key, if given, well formed; and a new one, not the one being used up (a token is good for one resume). */
    private static boolean validResumeKeys(String key, String previous) {
        return (key == null || RESUME_KEY.matcher(key).matches())
                && (previous == null || RESUME_KEY.matcher(previous).matches())
                && (key == null || !key.equals(previous));
    }

    private static CloseStatus refusal(Tokens.Refusal refusal) {
        return switch (refusal) {
            case MISSING -> CloseStatus.TOKEN_MISSING;
            case INVALID -> CloseStatus.TOKEN_INVALID;
            case EXPIRED -> CloseStatus.TOKEN_EXPIRED;
            case NOT_YET_VALID -> CloseStatus.TOKEN_NOT_YET_VALID;
        };
    }

    private static void mount(Paths container, LobbyService lobbies, Connections connections,
                              Duration noLobbyTimeout, Duration browseTimeout, boolean serverHostedByDefault,
                              Hosts hosts, RoomsPeer.Timeouts roomTimeouts, MatchService matches, IceServers ice,
                              StandIns standIns, GStreamerRegistry gstreamer) {
        container.addMapping("/", (request, response, callback) -> new Godot4Peer(lobbies, connections,
                noLobbyTimeout, browseTimeout, serverHostedByDefault, matches, ice));
        // Godot 3's text protocol (its webrtc_signaling demo), lobbies of Godot 3 clients only. Godot 3's JOIN has no
        // flags, so the URL says who hosts what a client creates: /godot3?hosting=server or ?hosting=peer.
        // ?game=<name> picks the game of a server-hosted lobby the client creates.
        container.addMapping("/godot3", (request, response, callback) -> new Godot3Peer(lobbies, connections,
                noLobbyTimeout, serverHosted(request, serverHostedByDefault), game(request)));
        // GStreamer's webrtc signalling (HELLO / SESSION / ROOM); its stock clients come over the TLS listener.
        container.addMapping("/gst", (request, response, callback) ->
                new GStreamerPeer(lobbies, connections, gstreamer, noLobbyTimeout));
        // The ###! room protocol of a Godot game-jam server: JSON commands, rooms by server-made name.
        container.addMapping("/rooms", (request, response, callback) ->
                new RoomsPeer(lobbies, connections, roomTimeouts));
        // Godot 4 clients without WebRTC play through the server: /relay/<lobby name> or /relay/* (quick play, of
        // the server's default game or of ?game=<name>). In a peer-hosted lobby the server stands in for them.
        container.addMapping("/relay/*", (request, response, callback) -> new Godot4RelayPeer(lobbies, connections,
                hosts, standIns, lobbyOf(request.getHttpURI().getPath(), "/relay/"), game(request)));
        // Godot 3.2 clients (no WebRTC in desktop builds) use its own WebSocket multiplayer framing.
        container.addMapping("/relay/godot3/*", (request, response, callback) -> new Godot3RelayPeer(lobbies,
                connections, hosts, lobbyOf(request.getHttpURI().getPath(), "/relay/godot3/"), game(request)));
    }

    /**
     * What {@code ?hosting=} asks of a Godot 3 connection: server-hosted, peer-hosted, the default when absent (the
     * last one wins if it repeats), or null for anything else, which the connection is refused for.
     */
    private static Boolean serverHosted(Request request, boolean byDefault) {
        List<String> hosting;
        try {
            hosting = Request.extractQueryParameters(request).getValuesOrEmpty("hosting");
        } catch (IllegalArgumentException badEscape) {
            return null; // Jetty answers 400 to such a URI first; should that change, refused like a wrong value
        }
        if (hosting.isEmpty()) {
            return byDefault;
        }
        return switch (hosting.get(hosting.size() - 1)) {
            case "server" -> Boolean.TRUE;
            case "peer" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * The game {@code ?game=} names (the last one if it repeats), or null when absent or unreadable, which gives the
     * server's default; an unknown name is refused when the lobby is created.
     */
    private static String game(Request request) {
        String game = lastQueryValue(request, "game");
        return game == null || game.isEmpty() ? null : game;
    }

    /**
     * The last value of query parameter {@code name}, or null when it is absent or the query cannot be read (Jetty
     * answers 400 to such a URI first).
     */
    private static String lastQueryValue(Request request, String name) {
        List<String> values;
        try {
            values = Request.extractQueryParameters(request).getValuesOrEmpty(name);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /**
     * The player name {@code ?name=} gives (on every path; Godot 4's JOIN may give its own), "" when absent, null
     * when it is not a valid name.
     */
    private static String playerName(Request request) {
        String name = lastQueryValue(request, "name");
        if (name == null) {
            return "";
        }
        try {
            return Join.checkName(name);
        } catch (MalformedMessageException e) {
            return null;
        }
    }

    private static String lobbyOf(String path, String prefix) {
        return URLDecoder.decode(path.substring(Math.min(prefix.length(), path.length())), StandardCharsets.UTF_8);
    }
}

package io.meshgate.signaling;

import io.meshgate.lobby.LobbyService;
import io.meshgate.host.Hosts;
import io.meshgate.net.Connections;
import io.meshgate.relay.Godot3RelayPeer;
import io.meshgate.relay.Godot4RelayPeer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/** Mounts every dialect (signaling, and the relay for clients without WebRTC) on its path of a Jetty container. */
public final class SignalingEndpoints {

    private SignalingEndpoints() {
    }

    /**
     * Godot 4's protocol answers on {@code /} and, like Godot's own server, on any path no other dialect claims, so
     * a client pointed at {@code ws://host:9080} or {@code ws://host:9080/anything} works unchanged.
     */
    public static void mount(ServerWebSocketContainer container, LobbyService lobbies, Connections connections,
                             Duration noLobbyTimeout, boolean serverHostedByDefault, Hosts hosts,
                             RoomPeer.Timeouts roomTimeouts) {
        container.addMapping("/", (request, response, callback) ->
                new Godot4Peer(lobbies, connections, noLobbyTimeout, serverHostedByDefault));
        // Godot 3's text protocol (its webrtc_signaling demo), lobbies of Godot 3 clients only. Godot 3's JOIN has no
        // flags, so the URL says who hosts what a client creates: /godot3?hosting=server or ?hosting=peer.
        container.addMapping("/godot3", (request, response, callback) -> {
            String hosting = queryValue(request.getHttpURI().getQuery(), "hosting");
            Boolean serverHosted = hosting == null ? Boolean.valueOf(serverHostedByDefault)
                    : hosting.equals("server") ? Boolean.TRUE : hosting.equals("peer") ? Boolean.FALSE : null;
            return new Godot3Peer(lobbies, connections, noLobbyTimeout, serverHosted);
        });
        // GStreamer's webrtc signalling (HELLO / SESSION / ROOM); its stock clients come over the TLS listener.
        GStreamerRegistry gstreamer = new GStreamerRegistry();
        container.addMapping("/gst", (request, response, callback) ->
                new GStreamerPeer(lobbies, connections, gstreamer, noLobbyTimeout));
        // The ###! room protocol of a Godot game-jam server: JSON commands, rooms by server-made name.
        container.addMapping("/rooms", (request, response, callback) ->
                new RoomPeer(lobbies, connections, roomTimeouts));
        // Godot 4 clients without WebRTC play through the server: /relay/<lobby name> or /relay/* (quick play).
        container.addMapping("/relay/*", (request, response, callback) -> new Godot4RelayPeer(lobbies, connections,
                hosts, lobbyOf(request.getHttpURI().getPath(), "/relay/")));
        // Godot 3.2 clients (no WebRTC in desktop builds) use its own WebSocket multiplayer framing.
        container.addMapping("/relay/godot3/*", (request, response, callback) -> new Godot3RelayPeer(lobbies,
                connections, hosts, lobbyOf(request.getHttpURI().getPath(), "/relay/godot3/")));
    }

    /** The value of one query parameter, or null; the last one wins if it repeats. */
    static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        String value = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException badEscape) {
                if (pair.startsWith(name + "=")) {
                    value = ""; // present but unreadable: refused like any other wrong value
                }
            }
        }
        return value;
    }

    private static String lobbyOf(String path, String prefix) {
        return URLDecoder.decode(path.substring(Math.min(prefix.length(), path.length())), StandardCharsets.UTF_8);
    }
}

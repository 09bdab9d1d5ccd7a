package io.meshgate.signaling;

import io.meshgate.lobby.LobbyService;
import io.meshgate.net.Connections;
import java.time.Duration;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/** Mounts every signaling dialect on its path of a Jetty WebSocket container. */
public final class SignalingEndpoints {

    private SignalingEndpoints() {
    }

    /**
     * Godot 4's protocol answers on {@code /} and, like Godot's own server, on any path no other dialect claims, so
     * a client pointed at {@code ws://host:9080} or {@code ws://host:9080/anything} works unchanged.
     */
    public static void mount(ServerWebSocketContainer container, LobbyService lobbies, Connections connections,
                             Duration noLobbyTimeout, boolean serverHostedByDefault) {
        container.addMapping("/", (request, response, callback) ->
                new Godot4Peer(lobbies, connections, noLobbyTimeout, serverHostedByDefault));
    }
}

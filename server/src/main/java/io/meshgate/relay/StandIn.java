package io.meshgate.relay;

import io.meshgate.game.Delivery;
import io.meshgate.host.Handshake;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.ScenePacket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay player's WebRTC side in a peer-hosted lobby. The server connects, as that player and under its id, to the
 * members the player would connect to (the host in a client/server lobby, every member in a mesh) with Godot's three
 * negotiated channels, and carries SceneMultiplayer packets between those connections and the player's WebSocket: to
 * the members it is an ordinary WebRTC peer. The player's {@code WebSocketMultiplayerPeer} knows only peer 1, so in a
 * mesh the others reach it the way a server relays in Godot: announced with SYS ADD_PEER/DEL_PEER, their packets
 * wrapped in SYS RELAY from their id, and its SYS RELAY packets unwrapped to their target. Game traffic is not read.
 *
 * <p>Every method runs on the lobby's executor; the connections' callbacks only post there.
 */
final class StandIn {

    private static final Logger LOG = LoggerFactory.getLogger(StandIn.class);
    static final CloseStatus NO_ROOM = CloseStatus.error("No room for another relay player here");
    static final CloseStatus HOST_UNREACHABLE = CloseStatus.error("The server could not reach the lobby's host");
    static final CloseStatus TOO_SLOW = CloseStatus.error("Too slow: the connection to a member is full");

    /** One member the player is connected to through the server. */
    private final class Member implements Handshake.Events<Pipe> {
        final int id;
        Handshake<Pipe> handshake;
        Pipe pipe;

        Member(int id) {
            this.id = id;
        }

        @Override
        public void signal(Signal kind, String payload) {
            lobbies.forward(player, kind, id, payload); // as the player: the member sees its id
        }

        @Override
        public void opened(Pipe opened) {
            if (members.get(id) != this || closed) {
                opened.close();
                return;
            }
            pipe = opened;
            LOG.info("Lobby {}: relay player {} reached member {} over WebRTC", lobbyName, self, id);
            if (id == 1) {
                greet();
            } else if (greeted && mesh) {
                player.write(Delivery.RELIABLE, ScenePacket.addPeer(id));
            }
        }

        @Override
        public void closed(String reason) {
            if (members.get(id) != this || closed) {
                return;
            }
            LOG.info("Lobby {}: relay player {}'s connection to member {} ended: {}", lobbyName, self, id, reason);
            if (id == 1) {
                player.leave(HOST_UNREACHABLE); // without the host, a peer-hosted lobby is over for this player
            } else {
                drop(this);
            }
        }
    }

    /** An open connection to a member: what arrives goes to the player. */
    private final class Pipe implements Handshake.Channels {
        final int member;
        final RtcConnection connection;

        Pipe(int member, RtcConnection connection) {
            this.member = member;
            this.connection = connection;
        }

        @Override
        public void received(Channel channel, byte[] data) {
            fromMember(member, channel, data);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    private final Godot4RelayPeer player;
    private final LobbyService lobbies;
    private final StandIns standIns;
    private final Executor executor;
    private final String lobbyName;
    private final int self;
    private final boolean mesh;
    private final Map<Integer, Member> members = new LinkedHashMap<>();
    /** The player was sent its id: from then on packets flow (its client reads nothing else first). */
    private boolean greeted;
    private boolean closed;

    StandIn(Godot4RelayPeer player, LobbyService lobbies, StandIns standIns, Executor executor, String lobbyName,
            int self, boolean mesh) {
        this.player = player;
        this.lobbies = lobbies;
        this.standIns = standIns;
        this.executor = executor;
        this.lobbyName = lobbyName;
        this.self = self;
        this.mesh = mesh;
    }

    /** A member the player may talk to: connect to it (in a client/server lobby, only to the host). */
    void peerConnected(int id) {
        if (closed || members.containsKey(id) || (!mesh && id != 1)) {
            return;
        }
        if (!standIns.reserve(lobbyName)) {
            LOG.info("Lobby {}: no room for relay player {}'s connection to member {}", lobbyName, self, id);
            player.leave(NO_ROOM);
            return;
        }
        Member member = new Member(id);
        members.put(id, member);
        member.handshake = new Handshake<>(id, standIns.rtc, executor, member, connection -> new Pipe(id, connection));
        if (self > id) {
            member.handshake.offer(); // Godot's rule: of two peers, the larger id offers
        }
    }

    void peerDisconnected(int id) {
        Member member = members.get(id);
        if (member != null) {
            drop(member);
        }
    }

    /** Signaling from a member to the player: it is the stand-in's to answer. */
    void forwarded(Signal kind, int from, String payload) {
        Member member = members.get(from);
        if (member == null) {
            return;
        }
        switch (kind) {
            case OFFER -> {
                if (!member.handshake.offered(payload)) {
                    LOG.debug("Lobby {}: member {} offered twice to relay player {}", lobbyName, from, self);
                }
            }
            case ANSWER -> member.handshake.answered(payload);
            case CANDIDATE -> member.handshake.candidate(payload);
            case MESSAGE -> { }
        }
    }

    private void drop(Member member) {
        members.remove(member.id);
        member.handshake.close();
        standIns.release(lobbyName);
        if (mesh && greeted && member.pipe != null && member.id != 1) {
            player.write(Delivery.RELIABLE, ScenePacket.delPeer(member.id));
        }
    }

    private void greet() {
        greeted = true;
        player.greet(self);
        if (mesh) {
            for (Member member : members.values()) {
                if (member.id != 1 && member.pipe != null) {
                    player.write(Delivery.RELIABLE, ScenePacket.addPeer(member.id));
                }
            }
        }
    }

    /** A packet from the player's WebSocket: to the host, or in a mesh where its SYS RELAY says. */
    void fromPlayer(byte[] packet) {
        if (closed || !greeted) {
            return;
        }
        if (mesh) {
            ScenePacket scene;
            try {
                scene = ScenePacket.decode(packet);
            } catch (MalformedMessageException e) {
                LOG.debug("Lobby {}: relay player {} sent a malformed packet: {}", lobbyName, self, e.getMessage());
                return;
            }
            if (scene.kind() == ScenePacket.Kind.FAN_OUT) {
                int target = scene.peer();
                for (Member member : members.values()) {
                    if (target > 0 ? member.id == target : member.id != -target) {
                        send(member, scene.payload());
                    }
                }
                return;
            }
        }
        Member host = members.get(1);
        if (host != null) {
            send(host, packet);
        }
    }

    /** What a WebSocket carries is reliable and ordered: it goes on the reliable channel. */
    private void send(Member member, byte[] packet) {
        if (member.pipe != null && !member.pipe.connection.send(Channel.RELIABLE, packet)) {
            player.leave(TOO_SLOW);
        }
    }

    private void fromMember(int member, Channel channel, byte[] data) {
        if (closed || !greeted) {
            return;
        }
        Delivery delivery = switch (channel) {
            case RELIABLE -> Delivery.RELIABLE;
            case ORDERED -> Delivery.ORDERED;
            case UNRELIABLE -> Delivery.UNRELIABLE;
        };
        player.write(delivery, member == 1 ? data : ScenePacket.fanOut(member, data));
    }

    /** The player left: every connection made for it closes. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Member member : members.values()) {
            member.handshake.close();
            standIns.release(lobbyName);
        }
        members.clear();
    }
}

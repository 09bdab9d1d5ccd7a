package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.game.Game;
import io.meshgate.game.GameRoom;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.rtc.Channel;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.rtc.RtcEngine;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot3.MultiplayerPacket;
import io.meshgate.wire.godot4.ScenePacket;
import io.meshgate.wire.variant.VariantCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server as peer 1 of a server-hosted lobby: answers each client's WebRTC offer (in Godot 4 the larger id
 * offers), trickles its candidates in Godot's {@code \n<mid>\n<index>\n<sdp>} form, speaks enough SceneMultiplayer
 * to be a good peer 1, and hands the clients to the lobby's game as players.
 *
 * <p>For Godot 3 clients the rules turn around: the lower id offers, so the server offers to each client as it is
 * announced, and their packets are Godot 3's (RAW is command 4, Variants in Godot 3's type table), which the host
 * translates both ways so that the game sees every client alike.
 *
 * <p>Everything here runs on the lobby's serial executor; WebRTC callbacks only post into it.
 */
public final class HostPeer extends Peer {

    private static final Logger LOG = LoggerFactory.getLogger(HostPeer.class);
    /** Malformed packets a client may send before it is removed; a few could be a client bug, many are an attack. */
    static final int MALFORMED_LIMIT = 100;
    /** Candidates kept from a client that sends them before its offer; Godot sends the offer first. */
    static final int EARLY_CANDIDATES = 64;
    /** How long a client whose WebRTC connection ended may take to close its signaling before it is removed. */
    static final long LEAVE_GRACE_MS = 1000;

    /** What every host of this server shares. */
    public record Settings(RtcEngine rtc, ScheduledExecutorService timer, Duration connectTimeout, int tickRate,
                           Game.Factory game, LongConsumer tickTimes, Hosts hosts) {
    }

    private final LobbyService lobbies;
    private final String lobbyName;
    private final boolean mesh;
    /** Godot 3 clients: the server makes the offers and translates packets; see the class comment. */
    private final boolean godot3;
    private final Executor executor;
    private final Settings settings;
    private final GameRoom room;
    private final Map<Integer, Client> clients = new LinkedHashMap<>();
    /** Members that announced they will play through the relay, before joining: no WebRTC offer for them. */
    private final Set<Integer> relayMembers = new HashSet<>();
    private boolean ended;

    public HostPeer(LobbyService lobbies, String lobbyName, boolean mesh, boolean godot3, Executor executor,
                    Settings settings) {
        this.lobbies = lobbies;
        this.lobbyName = lobbyName;
        this.mesh = mesh;
        this.godot3 = godot3;
        this.executor = executor;
        this.settings = settings;
        this.room = new GameRoom(lobbyName, settings.tickRate(), executor, settings.timer(), settings.game(),
                settings.tickTimes());
        settings.hosts().add(lobbyName, this);
    }

    /**
     * A member of this lobby plays through the server instead of over WebRTC ({@code id} as its lobby id): from now
     * on its packets come through {@link #relayed(int, byte[])} and go out through {@code link}. Any thread.
     */
    public void attachRelay(int id, RelayLink link) {
        executor.execute(() -> {
            Client client = clients.get(id);
            if (client == null || client.rtc != null || client.relay != null || client.disposed) {
                return; // gone already, or already playing over WebRTC
            }
            client.relay = link;
            client.onOpened();
        });
    }

    /** The member with this id is about to join to play through the relay; any thread, before its join. */
    public void expectRelay(int id) {
        executor.execute(() -> relayMembers.add(id));
    }

    /** The member that said {@link #expectRelay} is gone, whether or not it got in; any thread. */
    public void forgetRelay(int id) {
        executor.execute(() -> relayMembers.remove(id));
    }

    /** A packet from a relay player; any thread. */
    public void relayed(int id, byte[] packet) {
        executor.execute(() -> {
            Client client = clients.get(id);
            if (client != null && client.relay != null) {
                // a WebSocket is one reliable, ordered stream: the game sees everything on it as reliable
                client.packet(Channel.RELIABLE, packet);
            }
        });
    }

    @Override
    protected void assigned(int id, boolean meshLobby) {
        // always 1
    }

    @Override
    protected void joined(String name) {
        room.start();
    }

    @Override
    protected void peerConnected(int id) {
        Client client = new Client(id);
        clients.put(id, client);
        client.timeout = settings.timer().schedule(() -> executor.execute(() -> client.timedOut()),
                settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (godot3 && !relayMembers.contains(id)) {
            client.offerFirst();
        }
    }

    @Override
    protected void peerDisconnected(int id) {
        Client client = clients.remove(id);
        if (client != null) {
            client.dispose();
        }
    }

    @Override
    protected void relayed(Signal kind, int from, String payload) {
        Client client = clients.get(from);
        if (client == null) {
            return;
        }
        switch (kind) {
            case OFFER -> {
                if (godot3) {
                    LOG.debug("Lobby {}: ignoring an offer from Godot 3 peer {}; the server offers", lobbyName, from);
                } else {
                    client.offer(payload);
                }
            }
            case CANDIDATE -> client.remoteCandidate(payload);
            case ANSWER -> {
                if (godot3) {
                    client.answer(payload);
                } else {
                    LOG.debug("Lobby {}: ignoring an answer from {}; the server never offers", lobbyName, from);
                }
            }
            case MESSAGE -> LOG.debug("Lobby {}: ignoring a free-form message from {}", lobbyName, from);
        }
    }

    @Override
    protected void sealed() {
        // a sealed lobby keeps playing; only new joins are refused
    }

    @Override
    protected void end(Reason reason) {
        if (ended) {
            return;
        }
        ended = true;
        for (Client client : new ArrayList<>(clients.values())) {
            client.dispose();
        }
        clients.clear();
        room.dispose();
        settings.hosts().remove(lobbyName, this);
        LOG.debug("Host of lobby {} ended: {}", lobbyName, reason);
    }

    @Override
    protected void kicked(String message) {
        // nobody kicks the host
    }

    /** Clients whose three channels are open: the game's players. */
    private List<Client> openClients() {
        List<Client> open = new ArrayList<>();
        for (Client client : clients.values()) {
            if (client.open) {
                open.add(client);
            }
        }
        return open;
    }

    private static Delivery deliveryOf(Channel channel) {
        return switch (channel) {
            case RELIABLE -> Delivery.RELIABLE;
            case ORDERED -> Delivery.ORDERED;
            case UNRELIABLE -> Delivery.UNRELIABLE;
        };
    }

    private static Channel channelOf(Delivery delivery) {
        return switch (delivery) {
            case RELIABLE -> Channel.RELIABLE;
            case ORDERED -> Channel.ORDERED;
            case UNRELIABLE -> Channel.UNRELIABLE;
        };
    }

    /** One client of this lobby, from its offer to its departure. */
    private final class Client implements RtcConnection.Listener, GameRoom.Link {
        final int id;
        RtcConnection rtc;
        RelayLink relay;
        ScheduledFuture<?> timeout;
        /** Our offer or answer has been sent: candidates may follow it. */
        boolean described;
        boolean open;
        boolean disposed;
        int malformed;
        final List<String> localCandidates = new ArrayList<>();
        final List<String> remoteCandidates = new ArrayList<>();

        Client(int id) {
            this.id = id;
        }

        void offer(String sdp) {
            if (relay != null) {
                return; // plays through the relay; an offer now is a client's confusion, not a reason to kick
            }
            if (rtc != null) {
                kick("Unexpected second offer");
                return;
            }
            if (!openRtc()) {
                return;
            }
            rtc.acceptOffer(sdp, answer -> executor.execute(() -> described(Signal.ANSWER, answer)));
            for (String candidate : remoteCandidates) {
                applyRemote(candidate);
            }
            remoteCandidates.clear();
        }

        /** Godot 3: the server offers to the client as soon as the lobby announces it. */
        void offerFirst() {
            if (openRtc()) {
                rtc.offer(offer -> executor.execute(() -> described(Signal.OFFER, offer)));
            }
        }

        void answer(String sdp) {
            if (rtc != null && relay == null) {
                rtc.acceptAnswer(sdp);
            }
        }

        private boolean openRtc() {
            try {
                rtc = settings.rtc().open(this);
                return true;
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Lobby {}: cannot open a WebRTC connection for peer {}", lobbyName, id, e);
                kick("Server WebRTC unavailable");
                return false;
            }
        }

        private void described(Signal kind, String sdp) {
            if (disposed) {
                return;
            }
            lobbies.relay(HostPeer.this, kind, id, sdp);
            described = true;
            // A candidate before the offer or answer would reach a client with no remote description, which drops it.
            for (String candidate : localCandidates) {
                lobbies.relay(HostPeer.this, Signal.CANDIDATE, id, candidate);
            }
            localCandidates.clear();
        }

        void remoteCandidate(String data) {
            if (rtc == null) {
                if (remoteCandidates.size() < EARLY_CANDIDATES) {
                    remoteCandidates.add(data);
                }
                return;
            }
            applyRemote(data);
        }

        private void applyRemote(String data) {
            // Godot writes "\n<mid>\n<index>\n<sdp>" and splits on \n dropping empty parts, expecting three.
            String[] parts = data.split("\n");
            List<String> fields = new ArrayList<>();
            for (String part : parts) {
                if (!part.isEmpty()) {
                    fields.add(part);
                }
            }
            if (fields.size() != 3 || !fields.get(1).matches("\\d{1,4}")) {
                LOG.info("Lobby {}: ignoring a malformed candidate from peer {}", lobbyName, id);
                return;
            }
            rtc.addRemoteCandidate(fields.get(0), Integer.parseInt(fields.get(1)), fields.get(2));
        }

        void timedOut() {
            if (!disposed && !open) {
                LOG.info("Lobby {}: peer {} opened no WebRTC channels in {} ms", lobbyName, id,
                        settings.connectTimeout().toMillis());
                kick("WebRTC connection to the server timed out");
            }
        }

        void onOpened() {
            if (disposed || open) {
                return;
            }
            open = true;
            timeout.cancel(false);
            if (!mesh) {
                // Godot's SceneMultiplayer relay (client/server only): each side learns of the other through peer 1.
                for (Client other : openClients()) {
                    if (other != this) {
                        other.sendPacket(Channel.RELIABLE, ScenePacket.addPeer(id));
                        sendPacket(Channel.RELIABLE, ScenePacket.addPeer(other.id));
                    }
                }
            }
            LOG.info("Lobby {}: peer {} connected to the server {}", lobbyName, id,
                    relay != null ? "through the relay" : "over WebRTC");
            room.join(id, this);
        }

        void packet(Channel channel, byte[] data) {
            if (disposed || !open) {
                return;
            }
            ScenePacket packet;
            try {
                packet = ScenePacket.decode(data);
            } catch (MalformedMessageException e) {
                malformed(e.getMessage());
                return;
            }
            switch (packet.kind()) {
                case RAW -> room.packet(id, deliveryOf(channel), packet.payload());
                case RELAY -> relay(channel, packet);
                case AUTH, OTHER -> LOG.debug("Lobby {}: ignoring {} from peer {}", lobbyName, packet, id);
                case ADD_PEER, DEL_PEER -> malformed("peer " + id + " sent " + packet.kind() + ", which only peer 1 sends");
            }
        }

        /** Forwards a client's packet to others as Godot's peer 1 does; in a mesh, clients talk directly instead. */
        private void relay(Channel channel, ScenePacket packet) {
            if (mesh) {
                malformed("a relay request in a mesh lobby");
                return;
            }
            int target = packet.peer();
            byte[] forwarded = ScenePacket.relay(id, packet.payload());
            if (target > 1) {
                Client to = clients.get(target);
                if (to != null && to.open && to != this) {
                    to.sendPacket(channel, forwarded);
                }
                return;
            }
            for (Client to : openClients()) {
                if (to != this && (target >= 0 || to.id != -target)) {
                    to.sendPacket(channel, forwarded);
                }
            }
            if (target == 0 || target == -1) {
                // Godot's peer 1 also processes a broadcast itself, as coming from the sender.
                try {
                    ScenePacket inner = ScenePacket.decode(packet.payload());
                    if (inner.kind() == ScenePacket.Kind.RAW) {
                        room.packet(id, deliveryOf(channel), inner.payload());
                    }
                } catch (MalformedMessageException e) {
                    malformed(e.getMessage());
                }
            }
        }

        private void malformed(String why) {
            malformed++;
            LOG.debug("Lobby {}: malformed packet from peer {}: {}", lobbyName, id, why);
            if (malformed == MALFORMED_LIMIT) {
                kick("Too many malformed packets");
            }
        }

        private void sendPacket(Channel channel, byte[] packet) {
            if (relay != null) {
                relay.send(packet, channel != Channel.RELIABLE);
                return;
            }
            if (godot3) {
                packet = toGodot3(packet);
                if (packet == null) {
                    return;
                }
            }
            if (rtc != null && !rtc.send(channel, packet) && channel == Channel.RELIABLE && open) {
                // Reliable data that cannot be queued would be lost silently: the client is too slow to keep.
                kick("Too slow: reliable channel full");
            }
        }

        @Override
        public void send(Delivery delivery, byte[] payload) {
            sendPacket(channelOf(delivery), ScenePacket.raw(payload));
        }

        @Override
        public void kick(String reason) {
            lobbies.kick(HostPeer.this, id, reason);
        }

        /** The client left the lobby or the lobby closed. */
        void dispose() {
            if (disposed) {
                return;
            }
            disposed = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (rtc != null) {
                rtc.close();
            }
            if (open) {
                open = false;
                room.leave(id);
                if (!mesh) {
                    for (Client other : openClients()) {
                        other.sendPacket(Channel.RELIABLE, ScenePacket.delPeer(id));
                    }
                }
            }
        }

        // RtcConnection.Listener: webrtc's signaling thread, so only post.

        @Override
        public void localCandidate(String mid, int index, String sdp) {
            String data = "\n" + mid + "\n" + index + "\n" + sdp;
            executor.execute(() -> {
                if (disposed) {
                    return;
                }
                if (described) {
                    lobbies.relay(HostPeer.this, Signal.CANDIDATE, id, data);
                } else {
                    localCandidates.add(data);
                }
            });
        }

        @Override
        public void opened() {
            executor.execute(this::onOpened);
        }

        @Override
        public void received(Channel channel, byte[] data) {
            executor.execute(() -> {
                if (!godot3) {
                    packet(channel, data);
                } else if (!disposed && open) {
                    godot3Packet(channel, data);
                }
            });
        }

        /** Godot 3 has no system messages or relay: only RAW data means anything to the game, straight to it. */
        private void godot3Packet(Channel channel, byte[] data) {
            try {
                byte[] raw = MultiplayerPacket.rawData(data);
                if (raw == null) {
                    LOG.debug("Lobby {}: ignoring a Godot 3 RPC from peer {}", lobbyName, id);
                } else {
                    byte[] translated = VariantCodec.GODOT3.translateIfVariant(raw, VariantCodec.GODOT4);
                    room.packet(id, deliveryOf(channel), translated);
                }
            } catch (MalformedMessageException e) {
                malformed(e.getMessage());
            }
        }

        /** A SceneMultiplayer packet for a Godot 3 client: its RAW data, translated; the rest is lost on it. */
        private byte[] toGodot3(byte[] packet) {
            try {
                ScenePacket scene = ScenePacket.decode(packet);
                if (scene.kind() == ScenePacket.Kind.RAW) {
                    byte[] translated = VariantCodec.GODOT4.translateIfVariant(scene.payload(), VariantCodec.GODOT3);
                    return MultiplayerPacket.raw(translated);
                }
            } catch (MalformedMessageException e) {
                LOG.warn("Lobby {}: unreadable packet for Godot 3 peer {} dropped: {}", lobbyName, id, e.getMessage());
            }
            return null;
        }

        @Override
        public void closed(String reason) {
            // A client that leaves closes its channels a moment before its signaling socket: wait for the socket
            // before calling it a failure, so a clean departure is not logged and closed as one.
            settings.timer().schedule(() -> executor.execute(() -> {
                if (!disposed) {
                    LOG.info("Lobby {}: WebRTC to peer {} ended: {}", lobbyName, id, reason);
                    kick("WebRTC connection to the server failed");
                }
            }), LEAVE_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }
}

package io.meshgate.host;

import io.meshgate.game.Delivery;
import io.meshgate.game.Engine;
import io.meshgate.game.GameRunner;
import io.meshgate.game.GameType;
import io.meshgate.game.JoinAttempt;
import io.meshgate.game.LeaveReason;
import io.meshgate.lobby.Departure;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Peer;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.rtc.RtcConnection;
import io.meshgate.rtc.RtcEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server as peer 1 of a server-hosted lobby: the lobby member that stands for the server. It keeps the lobby's
 * clients from their announcement to their departure, gives each a {@link Handshake} (WebRTC) or takes the relay
 * link it comes with, and removes those that never connect. Once a client's link is open, the lobby's
 * {@link Router} and the game take over.
 *
 * <p>Everything here runs on the lobby's serial executor, except the methods documented as "any thread", which post
 * there.
 */
public final class HostPeer extends Peer {

    private static final Logger LOG = LoggerFactory.getLogger(HostPeer.class);
    /** How long a client whose WebRTC connection ended may take to close its signaling before it is removed. */
    static final long LEAVE_GRACE_MS = 1000;

    /** What every host of this server shares. */
    /** {@code tickRate}: the server's, for games that ask for it (see {@link GameType#tickRate}). */
    public record Settings(RtcEngine rtc, ScheduledExecutorService timer, Duration connectTimeout, int tickRate,
                           ObjLongConsumer<String> tickTimes, Hosts hosts, SetupLimit setups) {
    }

    /** What a client is told when the server has no room for another WebRTC connection being set up. */
    static final String SETUP_BUSY = "Server busy: too many WebRTC connections being set up";

    private final LobbyService lobbies;
    private final String lobbyName;
    /** Godot 3 clients: the server makes the offers and speaks Godot 3's packets. */
    private final boolean godot3;
    private final Executor executor;
    private final Settings settings;
    private final GameRunner game;
    /** The creator's options for the game's {@code onCreate}. */
    private final Map<String, Object> options;
    /** Clients the game admitted, until their announcement makes them a {@link Client}. */
    private final Map<Integer, JoinAttempt> admitted = new HashMap<>();
    private final Router router;
    private final Map<Integer, Client> clients = new LinkedHashMap<>();
    /** Members that announced they will play through the relay, before joining: no WebRTC offer for them. */
    private final Set<Integer> relayMembers = new HashSet<>();
    private boolean ended;

    /** One client, from its announcement to its departure. */
    private static final class Client {
        final int id;
        ScheduledFuture<?> timeout;
        /** Null until the client signals (Godot 4) or is offered to (Godot 3); stays null for a relay player. */
        Handshake<RtcLink> handshake;
        boolean linked;
        /** It plays through the relay, whose socket is both its signaling and its link. */
        boolean relayed;
        /** Holds a place in the server's {@link SetupLimit} while its WebRTC connection is being set up. */
        boolean settingUp;
        /** Refused a place in setup and being kicked: later signaling neither retries nor logs again. */
        boolean setupRefused;
        String origin;
        /** What it said of itself when the game admitted it. */
        JoinAttempt who;
        /** Set when the server removes it for a lost connection (WebRTC failed): the game is told it dropped. */
        LeaveReason leaving;
        /** Its signaling connection dropped and its seat is held (see {@code LobbyService}'s resume window). */
        boolean signalingHeld;
        /** Its WebRTC connection ended; it may offer a new one within the resume window. */
        boolean rtcLost;

        boolean away() {
            return signalingHeld || rtcLost;
        }

        Client(int id) {
            this.id = id;
        }
    }

    /** Called on the creating client's transport thread: only remembers; the game is made on the lobby executor. */
    public HostPeer(LobbyService lobbies, String lobbyName, boolean mesh, Dialect dialect, Executor executor,
                    GameType type, Map<String, Object> options, Settings settings) {
        this.lobbies = lobbies;
        this.lobbyName = lobbyName;
        this.godot3 = dialect == Dialect.GODOT3;
        this.executor = executor;
        this.settings = settings;
        int tickRate = type.tickRate() == GameType.SERVER_TICK_RATE ? settings.tickRate() : type.tickRate();
        this.options = Map.copyOf(options);
        this.game = new GameRunner(lobbyName, type, tickRate, executor, settings.timer(), settings.tickTimes(),
                text -> lobbies.closeForGame(this, text));
        this.router = new Router(lobbyName, mesh, game, this::kick);
        settings.hosts().add(lobbyName, this);
    }

    /**
     * The member {@code id} (its lobby id) plays through the relay over {@code link} instead of over WebRTC. Ignored
     * if it is gone or already connected. Any thread.
     */
    public void attach(int id, Link link) {
        executor.execute(() -> {
            Client client = clients.get(id);
            if (client == null || client.handshake != null || (client.linked && !client.relayed)) {
                return; // gone already, or playing over WebRTC
            }
            if (client.relayed) {
                relinked(client, link); // a relay player that took its seat back on a new socket
                return;
            }
            client.relayed = true;
            linked(client, link, "through the relay");
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

    /**
     * A Godot 4 SceneMultiplayer packet from the relay player reached through {@code link}; a WebSocket is one
     * reliable, ordered stream, so the game sees it as reliable. Any thread.
     */
    public void received(Link link, int id, byte[] packet) {
        executor.execute(() -> {
            if (router.linkOf(id) == link) {
                router.received(id, Delivery.RELIABLE, packet);
            }
        });
    }

    /** Game data, in Godot 4's form, from the relay player reached through {@code link}. Any thread. */
    public void data(Link link, int id, byte[] data) {
        executor.execute(() -> {
            if (router.linkOf(id) == link) {
                router.data(id, Delivery.RELIABLE, data);
            }
        });
    }

    /**
     * A SceneMultiplayer packet the relay player reached through {@code link} asks peer 1 to deliver to
     * {@code target} (see {@link Router#fanOut}). Any thread.
     */
    public void fanOut(Link link, int id, int target, byte[] packet) {
        executor.execute(() -> {
            if (router.linkOf(id) == link) {
                router.fanOut(id, Delivery.RELIABLE, target, packet);
            }
        });
    }

    private void linked(Client client, Link link, String how) {
        client.linked = true;
        client.timeout.cancel(false);
        LOG.info("Lobby {}: peer {} connected to the server {}", lobbyName, client.id, how);
        router.open(client.who, link);
    }

    private void kick(int id, String reason) {
        lobbies.kick(this, id, reason);
    }

    /** The client's handshake, begun now if need be; null (and the client removed) when the server is at its limit. */
    private Handshake<RtcLink> handshake(Client client) {
        if (client.handshake == null) {
            if (client.setupRefused) {
                return null; // its signaling still arriving while the kick is on its way
            }
            client.origin = lobbies.originOf(client.id);
            if (!settings.setups().reserve(client.origin)) {
                client.setupRefused = true;
                LOG.info("Lobby {}: peer {} refused a WebRTC connection: {} being set up", lobbyName, client.id,
                        settings.setups().pending());
                kick(client.id, SETUP_BUSY);
                return null;
            }
            client.settingUp = true;
            // Each handshake's events concern it only: a client may make a new one once its WebRTC connection ended.
            // (Its events come later, on this executor, so the handshake is in the holder by then.)
            List<Handshake<RtcLink>> self = new ArrayList<>(1);
            client.handshake = new Handshake<>(client.id, settings.rtc(), executor, new Handshake.Events<>() {
                @Override
                public void signal(Signal kind, String payload) {
                    lobbies.forward(HostPeer.this, kind, client.id, payload);
                }

                @Override
                public void opened(RtcLink link) {
                    doneSettingUp(client);
                    if (clients.get(client.id) != client || client.handshake != self.get(0)) {
                        return;
                    }
                    if (client.rtcLost) {
                        relinked(client, link);
                    } else if (!client.linked) {
                        linked(client, link, "over WebRTC");
                    }
                }

                @Override
                public void closed(String reason) {
                    // A client that leaves closes its channels a moment before its signaling socket: wait for the
                    // socket before calling it a failure, so a clean departure is not logged and kicked as one.
                    settings.timer().schedule(() -> executor.execute(() -> {
                        if (clients.get(client.id) == client && client.handshake == self.get(0)) {
                            lostWebRtc(client, reason);
                        }
                    }), LEAVE_GRACE_MS, TimeUnit.MILLISECONDS);
                }
            }, connection -> link(client.id, connection));
            self.add(client.handshake);
        }
        return client.handshake;
    }

    /**
     * The client's WebRTC connection ended. With a resume window its place is kept that long for a new offer (the
     * client's network changed; it offers again, on its signaling connection or a resumed one), which replaces the
     * link in place; the game hears {@code onDrop} and then {@code onResume}. Otherwise, or once the window passed,
     * it is removed as dropped.
     */
    private void lostWebRtc(Client client, String reason) {
        Duration window = lobbies.resumeWindow();
        if (godot3 || window.isZero() || !client.linked) {
            LOG.info("Lobby {}: WebRTC to peer {} ended: {}", lobbyName, client.id, reason);
            client.leaving = LeaveReason.DROPPED;
            kick(client.id, "WebRTC connection to the server failed");
            return;
        }
        LOG.info("Lobby {}: WebRTC to peer {} ended ({}); its place waits {} ms for a new offer", lobbyName, client.id,
                reason, window.toMillis());
        boolean wasAway = client.away();
        client.rtcLost = true;
        router.away(client.id); // the dead link is closed, and nothing queues up for it meanwhile
        client.handshake.close();
        client.handshake = null;
        if (!wasAway) {
            game.dropped(client.id);
        }
        client.timeout.cancel(false);
        client.timeout = settings.timer().schedule(() -> executor.execute(() -> {
            if (clients.get(client.id) == client && client.rtcLost) {
                client.leaving = LeaveReason.DROPPED;
                kick(client.id, "WebRTC connection to the server failed");
            }
        }), window.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A client whose WebRTC connection ended made a new one, or a relay player came back on a new socket: the game
     * reaches it through it, as before.
     */
    private void relinked(Client client, Link link) {
        boolean wasAway = client.away(); // not when the relay seat was taken from a socket that had not dropped yet
        client.rtcLost = false;
        client.signalingHeld &= !client.relayed; // a relay player's signaling is its link: back with it
        client.timeout.cancel(false);
        if (!router.replace(client.id, link)) {
            router.open(client.who, link);
        }
        LOG.info("Lobby {}: peer {} connected to the server again {}", lobbyName, client.id,
                client.relayed ? "through the relay" : "over WebRTC");
        if (wasAway && !client.away()) {
            game.resumed(client.id);
        }
    }

    private void doneSettingUp(Client client) {
        if (client.settingUp) {
            client.settingUp = false;
            settings.setups().release(client.origin);
        }
    }

    private RtcLink link(int id, RtcConnection connection) {
        Runnable tooSlow = () -> kick(id, "Too slow: reliable channel full");
        return godot3 ? new Godot3RtcLink(id, connection, router, tooSlow)
                : new Godot4RtcLink(id, connection, router, tooSlow);
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        // always 1
    }

    @Override
    protected void joined(String name) {
        if (!game.start(options)) {
            lobbies.abandon(this); // a lobby without its game would only time its clients out
        }
    }

    @Override
    protected String admission(Peer joiner) {
        JoinAttempt who = new JoinAttempt(joiner.id(), joiner.playerName(), joiner.playerMetadata(),
                joiner.godot3() ? Engine.GODOT3 : Engine.GODOT4, joiner.userId() == null ? "" : joiner.userId());
        String refusal = game.attempt(who);
        if (refusal == null) {
            admitted.put(who.id(), who);
        } else {
            LOG.info("Lobby {}: the game refused peer {}: {}", lobbyName, who.id(), refusal);
        }
        return refusal;
    }

    /** A client's signaling dropped: its WebRTC link, if still up, stays, and the game hears {@code onDrop}. */
    @Override
    protected void peerSuspended(int id) {
        Client client = clients.get(id);
        if (client == null) {
            return;
        }
        if (!client.away()) {
            game.dropped(id);
        }
        client.signalingHeld = true;
        if (client.relayed) {
            router.away(id); // its socket is gone: nothing queues up on it until the seat is taken back
        }
    }

    /** Its signaling is back; the game hears {@code onResume} unless its WebRTC connection is still to be made again. */
    @Override
    protected void peerResumed(int id) {
        Client client = clients.get(id);
        if (client == null || client.relayed) {
            return; // a relay player is back once its new socket is attached (see attach)
        }
        boolean wasAway = client.away(); // not when its seat was taken from a connection that had not dropped yet
        client.signalingHeld = false;
        if (wasAway && !client.away()) {
            game.resumed(id);
        }
    }

    @Override
    protected void seatsReleased(int count) {
        game.seatsReleased(count);
    }

    @Override
    protected Map<String, String> gameLabel() {
        return game.label();
    }

    @Override
    protected void peerConnected(int id) {
        Client client = new Client(id);
        JoinAttempt who = admitted.remove(id);
        client.who = who != null ? who : new JoinAttempt(id, "", Map.of(), godot3 ? Engine.GODOT3 : Engine.GODOT4);
        clients.put(id, client);
        client.timeout = settings.timer().schedule(() -> executor.execute(() -> timedOut(client)),
                settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (godot3 && !relayMembers.contains(id)) {
            Handshake<RtcLink> handshake = handshake(client);
            if (handshake != null) {
                handshake.offer();
            }
        }
    }

    private void timedOut(Client client) {
        if (clients.get(client.id) == client && !client.linked) {
            LOG.info("Lobby {}: peer {} opened no WebRTC channels in {} ms", lobbyName, client.id,
                    settings.connectTimeout().toMillis());
            kick(client.id, "WebRTC connection to the server timed out");
        }
    }

    @Override
    protected void peerDisconnected(int id) {
        peerDisconnected(id, Departure.DROPPED);
    }

    @Override
    protected void peerDisconnected(int id, Departure how) {
        admitted.remove(id);
        Client client = clients.remove(id);
        if (client != null) {
            dispose(client, client.leaving != null ? client.leaving : switch (how) {
                case LEFT -> LeaveReason.LEFT;
                case DROPPED -> LeaveReason.DROPPED;
                case KICKED -> LeaveReason.KICKED;
            });
        }
    }

    private void dispose(Client client, LeaveReason reason) {
        client.timeout.cancel(false);
        doneSettingUp(client);
        if (client.handshake != null) {
            client.handshake.close();
        }
        router.close(client.id, reason);
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        Client client = clients.get(from);
        if (client == null || client.relayed) {
            return; // gone, or plays through the relay: its signaling is confusion, not a reason to kick
        }
        switch (kind) {
            case OFFER -> {
                if (!godot3 && client.linked && client.handshake != null && !client.rtcLost
                        && !lobbies.resumeWindow().isZero()) {
                    // A new connection from a client that has one: its old one ended (a network change), which the
                    // client sees before the server does. It replaces the old one in place.
                    lostWebRtc(client, "the client offered a new connection");
                }
                Handshake<RtcLink> handshake = godot3 ? null : handshake(client);
                if (godot3) {
                    LOG.debug("Lobby {}: ignoring an offer from Godot 3 peer {}; the server offers", lobbyName, from);
                } else if (handshake != null && !handshake.offered(payload)) {
                    kick(from, "Unexpected second offer");
                }
            }
            case CANDIDATE -> {
                Handshake<RtcLink> handshake = handshake(client);
                if (handshake != null) {
                    handshake.candidate(payload);
                }
            }
            case ANSWER -> {
                if (godot3 && client.handshake != null) {
                    client.handshake.answered(payload);
                } else {
                    LOG.debug("Lobby {}: ignoring an answer from {}; the server did not offer", lobbyName, from);
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
    protected void refused(Reason reason) {
        // a message to a client that left meanwhile: nothing to do
        LOG.debug("Host of lobby {}: request refused: {}", lobbyName, reason);
    }

    @Override
    protected void ended(Reason reason) {
        if (ended) {
            return;
        }
        ended = true;
        for (Client client : new ArrayList<>(clients.values())) {
            dispose(client, LeaveReason.KICKED); // the lobby ended under them
        }
        clients.clear();
        router.closeAll();
        game.dispose();
        settings.hosts().remove(lobbyName, this);
        LOG.debug("Host of lobby {} ended: {}", lobbyName, reason);
    }

    @Override
    protected void kicked(String message) {
        // nobody kicks the host
    }
}

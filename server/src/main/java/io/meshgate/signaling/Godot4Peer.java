package io.meshgate.signaling;

import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.PublicLobby;
import io.meshgate.lobby.Signal;
import io.meshgate.lobby.Visibility;
import io.meshgate.match.MatchService;
import io.meshgate.net.Bucket;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import io.meshgate.rtc.IceServers;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.godot4.Join;
import io.meshgate.wire.godot4.Listing;
import io.meshgate.wire.godot4.Query;
import io.meshgate.wire.godot4.SignalCodec;
import io.meshgate.wire.godot4.SignalMessage;
import io.meshgate.wire.godot4.TicketRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client speaking Godot 4's WebRTC signaling protocol, as Godot's own demo client does (docs/protocol.md).
 *
 * <p>Errors close the socket with 4000 and the reference server's exact reason text (see {@link CloseStatus}), so
 * clients written against Godot's Node server read the same reasons here.
 */
public final class Godot4Peer extends SocketPeer {

    /** JOIN id flag: a client/server lobby (Godot's own clients send 1 for it). */
    static final int JOIN_CLIENT_SERVER = 1;
    /** JOIN id flag (Meshgate extension): the server hosts the lobby as peer 1. */
    static final int JOIN_SERVER_HOSTED = 2;
    /** JOIN id flag (Meshgate extension): the creator hosts the lobby as peer 1, whatever the server's default. */
    static final int JOIN_PEER_HOSTED = 4;
    /** JOIN data (Meshgate extension): join an open quick-play lobby of the asked kind with a free place, or create one. */
    static final String QUICK_PLAY = "*";


    private final Duration noLobbyTimeout;
    private final Duration browseTimeout;
    private final boolean serverHostedByDefault;
    private final MatchService matches;
    /** The ICE servers its ID message hands the client, with TURN credentials of its own when they are minted. */
    private final IceServers ice;
    /**
     * LIST's and the matchmaker's own rates, under the message rate: a browser refreshing every few seconds and a
     * player looking for a match never meet them; a loop does, and costs no lobby scan or matchmaker task.
     */
    private final Bucket listing = new Bucket(5, 2);
    private final Bucket ticketing = new Bucket(5, 2);

    /**
     * @param browseTimeout how long a client that lists lobbies may stay without joining one, from its last LIST
     */
    public Godot4Peer(LobbyService lobbies, Connections connections, Duration noLobbyTimeout, Duration browseTimeout,
                      boolean serverHostedByDefault, MatchService matches, IceServers ice) {
        super(lobbies, connections, "/");
        this.noLobbyTimeout = noLobbyTimeout;
        this.browseTimeout = browseTimeout;
        this.serverHostedByDefault = serverHostedByDefault;
        this.matches = matches;
        this.ice = ice;
    }

    @Override
    protected void opened() {
        connection.setDeadline(noLobbyTimeout.toMillis(), TimeUnit.MILLISECONDS, () -> close(CloseStatus.NO_LOBBY));
    }

    @Override
    protected void text(String frame) {
        SignalMessage message;
        try {
            message = SignalCodec.decode(frame);
        } catch (MalformedMessageException e) {
            reject(CloseStatus.INVALID_FORMAT, e.getMessage());
            return;
        }
        switch (message.type()) {
            case SignalMessage.JOIN -> {
                connection.clearDeadline();
                if (!message.join().name().isEmpty() || !message.join().meta().isEmpty()) {
                    describe(message.join().name(), message.join().meta()); // over what ?name= said
                }
                if (message.join().seat() != null) {
                    claimSeat(message.join().seat());
                }
                if (message.join().resume() != null) {
                    lobbies.resume(this, message.join().resume());
                } else if (message.join().code() != null) {
                    if (!message.data().isEmpty()) {
                        reject(CloseStatus.INVALID_FORMAT, "JOIN gives both a lobby name and a code");
                        return;
                    }
                    lobbies.joinByCode(this, message.join().code());
                } else if (message.data().isEmpty() || message.data().equals(QUICK_PLAY)) {
                    create(message.id(), message.data().equals(QUICK_PLAY), message.join());
                } else {
                    lobbies.join(this, message.data());
                }
            }
            case SignalMessage.SEAL -> lobbies.seal(this);
            case SignalMessage.LIST -> list(message.query());
            case SignalMessage.TICKET -> ticket(message.id(), message.ticket());
            case SignalMessage.CANCEL -> {
                if (ticketing.take()) { // an over-rate cancel is dropped: the ticket stays, as its status says
                    matches.cancel(this, message.id());
                }
            }
            case SignalMessage.OFFER -> lobbies.forward(this, Signal.OFFER, message.id(), message.data());
            case SignalMessage.ANSWER -> lobbies.forward(this, Signal.ANSWER, message.id(), message.data());
            case SignalMessage.CANDIDATE -> lobbies.forward(this, Signal.CANDIDATE, message.id(), message.data());
            default -> reject(CloseStatus.INVALID_COMMAND, "type " + message.type());
        }
    }

    /**
     * Godot's clients send 0 (mesh) or 1 (client/server). Ids 2..7 are Meshgate's flags on top: bit 0 client/server,
     * bit 1 server-hosted, bit 2 peer-hosted (not both); any other id means client/server, as in Godot's server. A
     * {@code game} (Meshgate's JOIN key) asks for a server-hosted lobby running it.
     */
    private void create(int id, boolean quickPlay, Join join) {
        String game = join.game();
        boolean flags = id >= 2 && id <= 7;
        boolean serverHosted = flags && (id & JOIN_SERVER_HOSTED) != 0;
        boolean peerHosted = flags && (id & JOIN_PEER_HOSTED) != 0;
        if (serverHosted && peerHosted) {
            reject(CloseStatus.INVALID_FORMAT, "JOIN asks for both a server-hosted and a peer-hosted lobby");
            return;
        }
        if (game != null && peerHosted) {
            reject(CloseStatus.INVALID_FORMAT, "JOIN names a game for a peer-hosted lobby");
            return;
        }
        boolean mesh = flags ? (id & JOIN_CLIENT_SERVER) == 0 : id == 0;
        boolean hosted = serverHosted || game != null || (!peerHosted && serverHostedByDefault);
        if (quickPlay) {
            lobbies.quickPlay(this, mesh, hosted, game);
        } else {
            lobbies.create(this, mesh, hosted, game, join.options(), switch (join.visibility()) {
                case UNLISTED -> Visibility.UNLISTED;
                case PUBLIC -> Visibility.PUBLIC;
                case PRIVATE -> Visibility.PRIVATE;
            });
        }
    }

    /**
     * Answers a LIST with a page of public lobbies of this dialect; a client not in a lobby may then stay for the
     * browse timeout instead of the no-lobby one. Past its own rate a LIST is answered with an empty page that says so.
     */
    private void list(Query query) {
        if (lobbyName() == null) {
            connection.setDeadline(browseTimeout.toMillis(), TimeUnit.MILLISECONDS, () -> close(CloseStatus.NO_LOBBY));
        }
        if (!listing.take()) {
            connection.send(SignalCodec.encodeListRefused("Listing too often, wait a moment"));
            return;
        }
        LobbyService.Page page = lobbies.listPublic(Dialect.GODOT4, query.game(), query.label(), query.free(),
                query.after(), query.limit());
        List<Listing> shown = new ArrayList<>(page.lobbies().size());
        for (PublicLobby lobby : page.lobbies()) {
            shown.add(new Listing(lobby.name(), lobby.game(), lobby.label(), lobby.hosting(), lobby.mesh(),
                    lobby.players(), lobby.capacity()));
        }
        connection.send(SignalCodec.encodeLobbies(shown, page.next()));
    }

    /**
     * Submits a ticket; while it waits the client may stay without a lobby (no-lobby deadline lifted), once matched
     * it has the seat hold to JOIN, and once its ticket ends unmatched it has the browse timeout.
     */
    private void ticket(int number, TicketRequest request) {
        if (!ticketing.take()) {
            connection.send(SignalCodec.encodeTicketStatus(number, "refused", 0, 0,
                    "Too many tickets, wait a moment"));
            return;
        }
        connection.clearDeadline();
        matches.submit(this, new MatchService.Seeker() {
            @Override
            public void waiting(int ticket, int playersInReach, long settlesInMs) {
                connection.send(SignalCodec.encodeTicketStatus(ticket, "waiting", playersInReach, settlesInMs,
                        null));
            }

            @Override
            public void gathering(int ticket, int members, int size) {
                connection.send(SignalCodec.encodeTicketGathering(ticket, members, size));
            }

            @Override
            public void matched(int ticket, String lobby, String seat, boolean peerHosted) {
                if (lobbyName() == null) { // now to JOIN the lobby it was given, within the browse timeout
                    connection.setDeadline(browseTimeout.toMillis(), TimeUnit.MILLISECONDS,
                            () -> close(CloseStatus.NO_LOBBY));
                }
                connection.send(SignalCodec.encodeTicketMatched(ticket, lobby, seat, peerHosted ? "peer" : "server"));
            }

            @Override
            public void ended(int ticket, String state, String reason) {
                if (lobbyName() == null) {
                    connection.setDeadline(browseTimeout.toMillis(), TimeUnit.MILLISECONDS,
                            () -> close(CloseStatus.NO_LOBBY));
                }
                connection.send(SignalCodec.encodeTicketStatus(ticket, state, 0, 0, reason));
            }
        }, number, new MatchService.Request(request.game(), request.properties(), request.skill(), request.min(),
                request.max(), request.countMultiple(), request.party(), request.partySize(), request.peerHosted(),
                request.mesh()));
    }

    @Override
    protected void disconnected() {
        matches.forget(this);
    }

    @Override
    protected void binary(ByteBuffer message) {
        reject(CloseStatus.TEXT_ONLY, message.remaining() + " bytes");
    }

    private void send(int type, int id, String data) {
        connection.send(SignalCodec.encode(type, id, data));
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        // TURN credentials name the user when there is one, else this connection: never shared between clients.
        connection.send(SignalCodec.encodeId(id, mesh, ice.forPeer(userId() != null ? userId() : "peer" + id())));
    }

    @Override
    protected void peerConnected(int id) {
        send(SignalMessage.PEER_CONNECT, id, "");
    }

    @Override
    protected void peerDisconnected(int id) {
        send(SignalMessage.PEER_DISCONNECT, id, "");
    }

    @Override
    protected void joined(String lobbyName) {
        send(SignalMessage.JOIN, 0, lobbyName);
    }

    @Override
    protected void joined(String lobbyName, String code, boolean serverHosted, String resume) {
        connection.send(SignalCodec.encodeJoined(lobbyName, code, serverHosted, resume));
    }

    /** In a cluster, a Godot 4 client joins a lobby of another node by name: its signaling is forwarded there. */
    @Override
    protected boolean joinsElsewhere() {
        return true;
    }

    /** Godot 4 clients get a resume token in their join answer and may show it on a new connection. */
    @Override
    protected boolean resumable() {
        return true;
    }

    @Override
    protected void sealed() {
        send(SignalMessage.SEAL, 0, "");
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        int type = switch (kind) {
            case OFFER -> SignalMessage.OFFER;
            case ANSWER -> SignalMessage.ANSWER;
            case CANDIDATE -> SignalMessage.CANDIDATE;
            case MESSAGE -> throw new IllegalStateException("Godot lobbies carry no free-form messages");
        };
        send(type, from, payload);
    }
}

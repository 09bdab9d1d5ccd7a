package io.meshgate.signaling;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Reason;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import io.meshgate.wire.MalformedMessageException;
import io.meshgate.wire.rooms.RoomMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client speaking the {@code ###!} room protocol on {@code /rooms} (docs/protocol.md): register a name, create or join
 * a room (a peer-hosted mesh lobby of the core, its creator the host, id 1), seal it, message everyone, and relay
 * offers, answers and candidates by id. Refusals are answered with the reference's BAD codes and texts and the
 * connection stays; where the reference crashes (a command before registering, bad JSON) this answers ICB.
 */
public final class RoomsPeer extends SocketPeer {

    private static final Logger LOG = LoggerFactory.getLogger(RoomsPeer.class);

    /** Longest player name; names are echoed to every member in JRK. */
    static final int MAX_NAME_LENGTH = 64;

    static final String NOT_REGISTERED_IN_TIME = "Player Didn't Register In Time";
    static final String NO_ROOM_IN_TIME = "Player Took Too Long To Enter A Room";
    static final CloseStatus NOT_REGISTERED = CloseStatus.error("Player Not Registered");
    static final CloseStatus AFK_IN_LOBBY = CloseStatus.error("Player AFK In Lobby");
    static final CloseStatus HOST_DISCONNECTED = CloseStatus.error("Host Disconnected");
    static final CloseStatus ROOM_CLEANED_UP = CloseStatus.error("Room Cleaned Up");
    static final CloseStatus ROOM_INACTIVE = CloseStatus.error("Room Is Inactive");
    static final CloseStatus TOO_MANY_PEERS = CloseStatus.error("Too Many Peers");

    /** Where the client is; written by its transport thread, and by the lobby executor when a join is refused. */
    private enum Phase { NEW, REGISTERED, ENTERING, IN_ROOM }

    /** How long to register, and then to enter a room, before the reference's PTO and close. */
    public record Timeouts(Duration register, Duration enterRoom, Duration idleRoom) {
    }

    private final Timeouts timeouts;
    private volatile Phase phase = Phase.NEW;
    private volatile String name;
    /** Names met while the join is in progress, for JRK; lobby executor only. */
    private List<String> joining;
    /** True while the pending request is a create (answered CRK/CRB), false for a join (JRK/JRB). */
    private volatile boolean creating;

    public RoomsPeer(LobbyService lobbies, Connections connections, Timeouts timeouts) {
        super(lobbies, connections, "/rooms");
        this.timeouts = timeouts;
    }

    @Override
    public Dialect dialect() {
        return Dialect.ROOMS;
    }

    /** In a cluster, a {@code ###!} client joins a room of another node by its name: its traffic is forwarded. */
    @Override
    protected boolean joinsElsewhere() {
        return true;
    }

    @Override
    public String label() {
        return name;
    }

    @Override
    protected void opened() {
        timeOut(timeouts.register(), NOT_REGISTERED_IN_TIME, NOT_REGISTERED);
    }

    private void timeOut(Duration after, String message, CloseStatus status) {
        connection.setDeadline(after.toMillis(), TimeUnit.MILLISECONDS, () -> {
            connection.send(RoomMessage.encode("PTO", message));
            close(status);
        });
    }

    private void send(String code, String text) {
        connection.send(RoomMessage.encode(code, text));
    }

    @Override
    protected void text(String frame) {
        RoomMessage message;
        try {
            message = RoomMessage.decode(frame);
        } catch (MalformedMessageException e) {
            LOG.debug("Peer {}: malformed ###! frame: {}", id(), e.getMessage());
            send("ICB", "Invalid Message: " + e.getMessage());
            return;
        }
        if (message.code().equals("RP")) {
            register(message);
            return;
        }
        if (phase == Phase.NEW) {
            send("ICB", "Register First With ###!RP");
            return;
        }
        switch (message.code()) {
            case "CR" -> create();
            case "JR" -> join(message);
            case "SR" -> seal();
            case "SM" -> roomMessage(message);
            case "OO" -> forward(Signal.OFFER, message);
            case "AA" -> forward(Signal.ANSWER, message);
            case "CC" -> forward(Signal.CANDIDATE, message);
            default -> send("ICB", "Command Not Found");
        }
    }

    @Override
    protected void binary(ByteBuffer message) {
        send("ICB", "Text Frames Only");
    }

    private void register(RoomMessage message) {
        if (phase != Phase.NEW || !message.data().isTextual() || message.data().textValue().isBlank()
                || message.data().textValue().length() > MAX_NAME_LENGTH) {
            send("RPB", "Invalid Player Data Error");
            return;
        }
        name = message.data().textValue();
        phase = Phase.REGISTERED;
        timeOut(timeouts.enterRoom(), NO_ROOM_IN_TIME, AFK_IN_LOBBY);
        connection.send(RoomMessage.encode("RPK", id()));
    }

    private void create() {
        if (phase != Phase.REGISTERED) {
            send("CRB", "Couldn't Create Room");
            return;
        }
        phase = Phase.ENTERING;
        creating = true;
        lobbies.create(this, timeouts.idleRoom());
    }

    private void join(RoomMessage message) {
        if (phase != Phase.REGISTERED || !message.data().isTextual() || message.data().textValue().isEmpty()) {
            send("JRB", "Couldn't Find / Join The Room");
            return;
        }
        phase = Phase.ENTERING;
        creating = false;
        lobbies.join(this, message.data().textValue());
    }

    private void seal() {
        if (phase != Phase.IN_ROOM) {
            send("SRB", "Room Not Found Or Player Isn't Host");
            return;
        }
        lobbies.seal(this);
    }

    private void roomMessage(RoomMessage message) {
        if (phase != Phase.IN_ROOM || !message.dataIsTruthy()) {
            send("RMB", "Couldn't Send Message");
            return;
        }
        lobbies.broadcast(this, message.data().toString());
    }

    private void forward(Signal kind, RoomMessage message) {
        if (phase != Phase.IN_ROOM) {
            send("ICB", "Not In A Room");
            return;
        }
        int destination;
        try {
            destination = message.destination();
        } catch (MalformedMessageException e) {
            send("ICB", "Invalid Message: " + e.getMessage());
            return;
        }
        lobbies.forward(this, kind, destination, message.forwardedPayload());
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        joining = new ArrayList<>();
        connection.send(RoomMessage.encode("CTR", id));
    }

    @Override
    protected void peerConnected(int id) {
        connection.send(RoomMessage.encode("RPC", id));
    }

    @Override
    protected void peerConnected(int id, String label) {
        if (joining != null) {
            joining.add(label);
        }
        peerConnected(id);
    }

    @Override
    protected void peerDisconnected(int id) {
        connection.send(RoomMessage.encode("RPD", id));
    }

    @Override
    protected void joined(String lobbyName) {
        phase = Phase.IN_ROOM;
        connection.clearDeadline();
        if (creating) {
            send("CRK", lobbyName);
        } else {
            var names = JsonNodeFactory.instance.arrayNode();
            joining.forEach(names::add);
            names.add(name);
            connection.send(RoomMessage.encode("JRK", names));
        }
        joining = null;
    }

    @Override
    protected void sealed() {
        send("SRK", "null");
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        String code = switch (kind) {
            case OFFER -> "OOO";
            case ANSWER -> "AAA";
            case CANDIDATE -> "CCC";
            case MESSAGE -> "RMK";
        };
        connection.send(kind == Signal.MESSAGE ? RoomMessage.encode(code, RoomMessage.parse(payload))
                : RoomMessage.encode(code, RoomMessage.delivered(payload, from)));
    }

    @Override
    protected void refused(Reason reason) {
        switch (reason) {
            case TOO_MANY_LOBBIES, ADDRESS_LOBBY_LIMIT, DRAINING, LOBBY_NOT_FOUND, LOBBY_SEALED, LOBBY_FULL, ALREADY_IN_LOBBY -> {
                // A refused create or join: the client stays and may try again, as with the reference.
                phase = Phase.REGISTERED;
                if (creating) {
                    send("CRB", "Couldn't Create Room");
                } else {
                    send("JRB", "Couldn't Find / Join The Room");
                }
            }
            case ONLY_HOST_CAN_SEAL -> send("SRB", "Room Not Found Or Player Isn't Host");
            case NOT_IN_LOBBY -> send("ICB", "Not In A Room");
            case INVALID_DESTINATION -> send("ICB", "No Such Peer In The Room");
            case TOO_MANY_PEERS -> close(TOO_MANY_PEERS);
            default -> close(CloseStatus.of(reason)); // server hosting: never asked for on this path
        }
    }

    @Override
    protected void ended(Reason reason) {
        switch (reason) {
            case HOST_DISCONNECTED -> close(HOST_DISCONNECTED);
            case SEAL_COMPLETE -> close(ROOM_CLEANED_UP);
            case LOBBY_IDLE -> close(ROOM_INACTIVE);
            default -> close(CloseStatus.of(reason)); // a hosted lobby empties by its host leaving: never here
        }
    }
}

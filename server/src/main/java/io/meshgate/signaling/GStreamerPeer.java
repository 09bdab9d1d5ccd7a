package io.meshgate.signaling;

import io.meshgate.lobby.Dialect;
import io.meshgate.lobby.LobbyService;
import io.meshgate.lobby.Signal;
import io.meshgate.net.CloseStatus;
import io.meshgate.net.Connections;
import io.meshgate.net.SocketPeer;
import io.meshgate.wire.gstreamer.GstMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client speaking GStreamer's webrtc signalling protocol on {@code /gst} (docs/protocol.md): {@code HELLO <uid>}, then
 * either a 1-1 {@code SESSION} whose frames are forwarded verbatim, or a {@code ROOM}, which is a hostless lobby of the
 * core where members address each other by uid. Replies and errors use the reference server's words.
 */
public final class GStreamerPeer extends SocketPeer {

    private static final Logger LOG = LoggerFactory.getLogger(GStreamerPeer.class);

    /** Longest uid or room id accepted; the reference has no limit, but ids are echoed to every room member. */
    static final int MAX_ID_LENGTH = 128;

    static final CloseStatus INVALID_PROTOCOL = new CloseStatus(1002, "invalid protocol");
    static final CloseStatus INVALID_UID = new CloseStatus(1002, "invalid peer uid");
    static final CloseStatus NO_HELLO = new CloseStatus(1002, "no HELLO in time");
    static final CloseStatus SESSION_ENDED = new CloseStatus(1000, "session peer left");
    /** Called again between hanging up an incoming call and placing its own: rare, and the client may ask again. */
    static final String CALLED_MEANWHILE = "called by another peer meanwhile, send the request again";

    /** The most frames held while the peer waits for another node's answer (see {@link #text}). */
    static final int MAX_HELD = 16;
    static final CloseStatus TOO_MANY_HELD = new CloseStatus(1002, "too many frames before an answer");
    /** The callee's node could not be asked; the client may try again. */
    static final String UNREACHABLE = "the peer's server cannot be reached now, try again";

    /**
     * Where the peer is: CLAIMING (its HELLO waits for the cluster's claim of its uid) and CALLING (its SESSION waits
     * for the callee's node) are a cluster's only.
     */
    enum State { NEW, CLAIMING, IDLE, CALLING, SESSION, ROOM, GONE }

    private final GStreamerRegistry registry;
    private final Duration helloTimeout;

    /** Written by the registry, under its lock; read by this peer's transport thread. */
    volatile String uid;
    volatile State state = State.NEW;
    volatile GStreamerPeer partner;
    /** Whether the peer is in a session with a client of another node (then {@code partner} is null). */
    volatile boolean remote;

    /**
     * Frames that came while the peer waited for an answer (its uid's claim, its call, its room's ROOM_OK), handled in
     * order once it came, as the reference server reads no frame before it answered the last. Guarded by this.
     */
    private final ArrayDeque<String> held = new ArrayDeque<>();
    /** Guarded by this. */
    private boolean waiting;

    /** The other members of this peer's room by lobby id, as it was told of them; lobby executor only. */
    private final Map<Integer, String> roomPeers = new LinkedHashMap<>();
    /** Members met while the join is in progress, for ROOM_OK; null once joined. Lobby executor only. */
    private List<String> joining;

    public GStreamerPeer(LobbyService lobbies, Connections connections, GStreamerRegistry registry, Duration helloTimeout) {
        super(lobbies, connections, "/gst");
        this.registry = registry;
        this.helloTimeout = helloTimeout;
    }

    @Override
    public Dialect dialect() {
        return Dialect.GSTREAMER;
    }

    @Override
    public String label() {
        return uid;
    }

    @Override
    protected void opened() {
        connection.setDeadline(helloTimeout.toMillis(), TimeUnit.MILLISECONDS, () -> close(NO_HELLO));
    }

    /** On the transport thread: handled now, or held while the peer waits. */
    @Override
    protected void text(String frame) {
        synchronized (this) {
            if (waiting) {
                if (held.size() >= MAX_HELD) {
                    reject(TOO_MANY_HELD, held.size() + " held");
                } else {
                    held.add(frame);
                }
                return;
            }
            handle(frame);
        }
    }

    /** From now on frames are held until {@link #proceed}; under this peer's lock. */
    private void await() {
        waiting = true;
    }

    /**
     * The answer the peer waited for came: {@code answer} runs, then the frames held meanwhile, in order, as if they
     * came now (one of them may make it wait again); returns what {@code answer} said. Any thread.
     */
    private boolean proceed(BooleanSupplier answer) {
        synchronized (this) {
            waiting = false;
            boolean said = answer.getAsBoolean();
            while (!waiting && !held.isEmpty()) {
                handle(held.poll());
            }
            return said;
        }
    }

    private void handle(String frame) {
        switch (state) {
            case NEW -> hello(frame);
            case IDLE -> command(frame);
            case SESSION -> {
                if (isOwnCommand(frame)) {
                    hangUp();
                    command(frame);
                } else {
                    forward(frame);
                }
            }
            case ROOM -> roomCommand(frame);
            case CLAIMING, CALLING -> { } // not reached: frames are held meanwhile
            case GONE -> { } // the session partner left; this connection is closing
        }
    }

    @Override
    protected void binary(ByteBuffer message) {
        reject(CloseStatus.TEXT_ONLY, message.remaining() + " bytes");
    }

    private void hello(String frame) {
        List<String> words = GstMessage.split(frame, 1);
        if (words.isEmpty() || !words.get(0).equals(GstMessage.HELLO)) {
            reject(INVALID_PROTOCOL, "first frame is not HELLO");
            return;
        }
        // The protocol lets a client leave the uid to the server, which then says which it chose.
        boolean chosen = words.size() == 1;
        String wanted = chosen ? UUID.randomUUID().toString() : words.get(1);
        if (!GstMessage.isWord(wanted) || wanted.length() > MAX_ID_LENGTH || !registry.register(this, wanted)) {
            reject(INVALID_UID, "uid " + GstMessage.repr(wanted) + " is malformed, too long or taken");
            return;
        }
        helloReply = chosen ? GstMessage.HELLO + " " + wanted : GstMessage.HELLO;
        if (state == State.CLAIMING) {
            await();
            registry.elsewhere().claim(this, wanted);
            return;
        }
        welcome();
    }

    /** What HELLO is answered with once the uid is the client's. */
    private String helloReply;

    private void welcome() {
        connection.clearDeadline();
        connection.send(helloReply);
        LOG.debug("Peer {} registered as {}", id(), uid);
    }

    /**
     * The cluster's answer to the claim of this peer's uid: {@code ok} false if a client of another node holds it,
     * which is refused as a taken uid is. Returns whether the peer still holds it (it may have left). Any thread.
     */
    public boolean claimed(boolean ok) {
        return proceed(() -> {
            if (!ok) {
                reject(INVALID_UID, "uid " + GstMessage.repr(uid) + " is taken on another node");
                return false;
            }
            if (!registry.confirm(this)) {
                return false;
            }
            welcome();
            return true;
        });
    }

    /** This peer's uid; null before its HELLO. */
    public String uid() {
        return uid;
    }

    private void command(String frame) {
        List<String> words = GstMessage.split(frame, 1);
        String verb = words.isEmpty() ? "" : words.get(0);
        String arg = words.size() > 1 ? words.get(1) : "";
        switch (verb) {
            case GstMessage.SESSION -> session(arg);
            case GstMessage.ROOM -> room(arg);
            default -> connection.send(GstMessage.error("unknown command " + GstMessage.repr(verb)));
        }
    }

    /**
     * A session or room request of the peer's own. Such a frame is never forwarded to whoever put the peer in a call:
     * the protocol has no consent step (an idle peer that is called is in the call at once, as in the reference), so
     * a stranger could otherwise call a peer just before it places its own call and receive that call's frames. Its
     * payloads are JSON objects, which never read as a command.
     */
    private static boolean isOwnCommand(String frame) {
        List<String> words = GstMessage.split(frame, 1);
        return words.size() == 2 && (words.get(0).equals(GstMessage.SESSION) || words.get(0).equals(GstMessage.ROOM));
    }

    /** Leaves the call this peer was put in; the other side is closed as when a session peer leaves. */
    private void hangUp() {
        GStreamerPeer left = registry.hangUp(this);
        if (left != null) {
            LOG.info("Session between {} and {} ended: {} placed a call of its own", uid, left.uid, uid);
            left.close(SESSION_ENDED);
        }
    }

    private void session(String calleeUid) {
        GStreamerRegistry.Pairing pairing = registry.pair(this, calleeUid);
        if (pairing == GStreamerRegistry.Pairing.CALLER_BUSY) {
            hangUp(); // called just now, before this request of its own arrived: the request wins
            pairing = registry.pair(this, calleeUid);
        }
        if (pairing == GStreamerRegistry.Pairing.NOT_FOUND && registry.elsewhere() != null) {
            // no client of this node has the uid: the cluster may
            if (!registry.calling(this)) {
                answer(calleeUid, GStreamerRegistry.Pairing.CALLER_BUSY); // called this very moment
                return;
            }
            calling = calleeUid;
            await(); // as on one node, nothing more is read before the answer
            registry.elsewhere().call(this, calleeUid);
            return;
        }
        answer(calleeUid, pairing);
    }

    /** The uid this peer's call to another node is for; only while it waits for the answer. */
    private volatile String calling;

    private void answer(String calleeUid, GStreamerRegistry.Pairing pairing) {
        switch (pairing) {
            case OK -> {
                connection.send(GstMessage.SESSION_OK);
                LOG.info("Session between {} ({}) and {}{}", uid, id(), calleeUid, remote ? " of another node" : "");
            }
            case NOT_FOUND -> connection.send(GstMessage.peerNotFound(calleeUid));
            case BUSY -> connection.send(GstMessage.peerBusy(calleeUid));
            case CALLER_BUSY -> connection.send(GstMessage.error(CALLED_MEANWHILE));
            case UNREACHABLE -> connection.send(GstMessage.error(UNREACHABLE));
        }
    }

    /**
     * The callee's node answered this peer's call: with {@link GStreamerRegistry.Pairing#OK} it is in a session with
     * the callee now. False if it stopped waiting meanwhile (it left): an accepted call is then to be ended. Any
     * thread.
     */
    public boolean answered(GStreamerRegistry.Pairing pairing) {
        return proceed(() -> {
            String callee = calling;
            if (!registry.answered(this, pairing)) {
                return false;
            }
            calling = null;
            answer(callee, pairing);
            return true;
        });
    }

    /** A frame from this peer's session partner on another node. Any thread, in the order they came. */
    public void fromPartner(String frame) {
        if (remote) {
            connection.send(frame);
        }
    }

    /** This peer's session partner on another node left: it is closed as when a partner here leaves. Any thread. */
    public void partnerLeft() {
        if (registry.partnerLeft(this)) {
            LOG.info("Session of {} with a peer of another node ended: that peer left", uid);
            close(SESSION_ENDED);
        }
    }

    private void room(String roomId) {
        if (roomId.equals("session") || !GstMessage.isWord(roomId) || roomId.length() > MAX_ID_LENGTH) {
            connection.send(GstMessage.invalidRoomId(roomId));
            return;
        }
        if (!registry.enterRoom(this)) {
            hangUp(); // called just now, before this request of its own arrived: the request wins
            if (!registry.enterRoom(this)) {
                connection.send(GstMessage.error(CALLED_MEANWHILE));
                return;
            }
        }
        lobbies.enterHostless(this, roomId);
        if (inLobbyElsewhere()) {
            // another node's answer decides where the room is: until ROOM_OK, frames wait, as the lobby's executor
            // (which keeps them in order on one node) is not known yet; joined() runs only once this returns
            await();
        }
    }

    private void forward(String frame) {
        GStreamerPeer to = partner;
        if (to != null) {
            to.connection.send(frame);
        } else if (remote) {
            registry.elsewhere().frame(this, frame);
        }
    }

    private void roomCommand(String frame) {
        List<String> words = GstMessage.split(frame, 2);
        String verb = words.isEmpty() ? "" : words.get(0);
        if (verb.equals(GstMessage.ROOM_PEER_MSG) && words.size() == 3) {
            String to = words.get(1);
            String message = words.get(2);
            lobbies.inOrder(this, () -> roomMessage(to, message));
        } else if (verb.equals(GstMessage.ROOM_PEER_LIST) && words.size() == 1) {
            lobbies.inOrder(this, () -> connection.send(GstMessage.peerList(new ArrayList<>(roomPeers.values()))));
        } else if (verb.equals(GstMessage.ROOM_PEER_MSG)) {
            lobbies.inOrder(this, () -> connection.send(GstMessage.error("ROOM_PEER_MSG needs a peer id and a message")));
        } else {
            lobbies.inOrder(this, () -> connection.send(GstMessage.ALREADY_IN_ROOM));
        }
    }

    /** On the lobby executor: the uid is looked up among the members this peer has been told of. */
    private void roomMessage(String toUid, String message) {
        for (Map.Entry<Integer, String> member : roomPeers.entrySet()) {
            if (member.getValue().equals(toUid)) {
                lobbies.forward(this, Signal.MESSAGE, member.getKey(), message);
                return;
            }
        }
        registry.known(toUid).thenAccept(known -> connection.send(known ? GstMessage.peerNotInRoom(toUid)
                : GstMessage.peerNotFound(toUid)));
    }

    /** Rooms of other nodes are entered through the cluster, and their members' messages forwarded. */
    @Override
    protected boolean joinsElsewhere() {
        return true;
    }

    @Override
    protected void disconnected() {
        GStreamerPeer left = registry.remove(this);
        if (left != null) {
            LOG.info("Session between {} and {} ended: {} left", uid, left.uid, uid);
            left.close(SESSION_ENDED);
        }
    }

    @Override
    protected void assigned(int id, boolean mesh) {
        joining = new ArrayList<>();
    }

    @Override
    protected void peerConnected(int id) {
        peerConnected(id, Integer.toString(id));
    }

    @Override
    protected void peerConnected(int id, String label) {
        roomPeers.put(id, label);
        if (joining != null) {
            joining.add(label);
        } else {
            connection.send(GstMessage.peerJoined(label));
        }
    }

    @Override
    protected void peerDisconnected(int id) {
        String left = roomPeers.remove(id);
        if (left != null) {
            connection.send(GstMessage.peerLeft(left));
        }
    }

    @Override
    protected void joined(String lobbyName) {
        proceed(() -> {
            connection.send(GstMessage.roomOk(joining));
            joining = null;
            return true;
        });
    }

    @Override
    protected void sealed() {
        // GStreamer rooms have no seal.
    }

    @Override
    protected void forwarded(Signal kind, int from, String payload) {
        String sender = roomPeers.get(from);
        if (sender != null) {
            connection.send(GstMessage.peerMessage(sender, payload));
        }
    }
}

package io.meshgate.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.game.Delivery;
import io.meshgate.game.Engine;
import io.meshgate.game.GameRunner;
import io.meshgate.game.GameType;
import io.meshgate.game.JoinAttempt;
import io.meshgate.game.LeaveReason;
import io.meshgate.testkit.RecordingGame;
import io.meshgate.wire.godot4.ScenePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peer 1's rules over fake links: no WebRTC, no sockets, one thread standing in for the lobby's executor. */
class RouterTest {

    /** A link that writes down what peer 1 sent it. */
    private static final class FakeLink implements Link {
        final List<String> events = new ArrayList<>();
        final List<FanOut> fannedOut = new ArrayList<>();
        boolean closed;

        @Override
        public void send(Delivery delivery, byte[] data) {
            events.add("data " + delivery + " " + data.length);
        }

        @Override
        public void peerAdded(int id) {
            events.add("added " + id);
        }

        @Override
        public void peerRemoved(int id) {
            events.add("removed " + id);
        }

        @Override
        public void fannedOut(FanOut packet) {
            fannedOut.add(packet);
            events.add("fan-out from " + packet.from());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Ticks are posted here and never run: these tests are about routing. */
    private final Queue<Runnable> ticks = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final RecordingGame game = new RecordingGame(true);
    private final List<String> kicks = new ArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private Router router(boolean mesh) {
        GameRunner runner = new GameRunner("test", GameType.of("test", room -> game), 1, ticks::add, timer,
                (name, nanos) -> { }, reason -> { });
        runner.start(Map.of());
        return new Router("test", mesh, runner, (id, reason) -> kicks.add(id + " " + reason));
    }

    private static final byte[] RAW = ScenePacket.raw(new byte[] {1, 2, 3});

    /** Opens one fake link per client, ids 2, 3, 4, … in that order. */
    private static JoinAttempt who(int id) {
        return new JoinAttempt(id, "", Map.of(), Engine.GODOT4);
    }

    private static List<FakeLink> open(Router router, int clients) {
        List<FakeLink> links = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            FakeLink link = new FakeLink();
            router.open(who(2 + i), link);
            links.add(link);
        }
        return links;
    }

    @Test
    void clientsOfAClientServerLobbyLearnOfEachOtherThroughPeer1() {
        Router router = router(false);
        List<FakeLink> links = open(router, 2);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        assertEquals(List.of("added 3"), a.events);
        assertEquals(List.of("added 2"), b.events);
        assertEquals(List.of("join 2", "join 3"), game.events);

        router.close(3, LeaveReason.LEFT);
        assertTrue(b.closed);
        assertEquals(List.of("added 3", "removed 3"), a.events);
        assertEquals(List.of("join 2", "join 3", "leave 3 LEFT"), game.events);
        assertEquals(List.of(2), router.openIds());
    }

    @Test
    void meshClientsAreNotIntroducedAndMayNotAskForAFanOut() {
        Router router = router(true);
        List<FakeLink> links = open(router, 2);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        assertEquals(List.of(), a.events);
        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(3, RAW));
        assertEquals(List.of(), b.events, "in a mesh clients reach each other directly");
    }

    @Test
    void aFanOutToOneClientReachesOnlyIt() {
        Router router = router(false);
        List<FakeLink> links = open(router, 3);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        FakeLink c = links.get(2);
        router.received(2, Delivery.ORDERED, ScenePacket.fanOut(4, RAW));
        assertEquals(List.of(), b.fannedOut);
        assertEquals(1, c.fannedOut.size());
        FanOut delivered = c.fannedOut.get(0);
        assertEquals(2, delivered.from());
        assertEquals(Delivery.ORDERED, delivered.delivery());
        assertArrayEquals(new byte[] {1, 2, 3}, delivered.data());
        assertArrayEquals(ScenePacket.fanOut(2, RAW), delivered.godot4Packet(), "the source replaces the target");
        assertFalse(game.events.contains("packet 2 ORDERED 3"), "peer 1 reads only what is sent to all");
    }

    @Test
    void aFanOutToAllReachesEveryOtherClientAndTheGame() {
        Router router = router(false);
        List<FakeLink> links = open(router, 3);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        FakeLink c = links.get(2);
        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(0, RAW));
        assertEquals(List.of(), a.fannedOut, "not back to the sender");
        assertEquals(1, b.fannedOut.size());
        assertEquals(1, c.fannedOut.size());
        assertTrue(game.events.contains("packet 2 RELIABLE 3"));

        game.events.clear();
        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(-3, RAW)); // all but 3
        assertEquals(1, b.fannedOut.size());
        assertEquals(2, c.fannedOut.size());
        assertEquals(List.of(), game.events, "all but one client: peer 1 does not read it");

        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(-1, RAW)); // all but peer 1, which reads it anyway
        assertEquals(List.of("packet 2 RELIABLE 3"), game.events);
    }

    @Test
    void anRpcFannedOutCarriesNoGameData() {
        Router router = router(false);
        List<FakeLink> links = open(router, 2);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(3, new byte[] {0x00, 0x01}));
        assertNull(b.fannedOut.get(0).data(), "an RPC is for Godot 4 scene trees only");
    }

    @Test
    void gameDataReachesTheGameAndItsRepliesTheCurrentLink() {
        Router router = router(false);
        FakeLink a = new FakeLink();
        router.open(who(2), a);
        router.received(2, Delivery.UNRELIABLE, RAW);
        assertEquals(List.of("join 2", "packet 2 UNRELIABLE 3"), game.events);
        assertEquals(List.of("data UNRELIABLE 3"), a.events);
        router.received(2, Delivery.RELIABLE, new byte[] {0x07, 0x00}); // AUTH: ignored
        router.data(9, Delivery.RELIABLE, new byte[] {1}); // not a client of this lobby
        assertEquals(2, game.events.size());
    }

    @Test
    void replacingALinkKeepsThePlayerInPlace() {
        Router router = router(false);
        List<FakeLink> links = open(router, 2);
        FakeLink a = links.get(0);
        FakeLink b = links.get(1);
        FakeLink resumed = new FakeLink();
        assertTrue(router.replace(2, resumed));
        assertTrue(a.closed);
        assertFalse(router.replace(9, new FakeLink()), "only an open client's link can be replaced");
        router.received(2, Delivery.RELIABLE, RAW);
        assertEquals(List.of("added 3", "data RELIABLE 3"), resumed.events,
                "a new transport learns of the others, then the game's reply goes to it");
        assertEquals(List.of("join 2", "join 3", "packet 2 RELIABLE 3"), game.events, "no leave, no second join");
        assertEquals(List.of("added 2"), b.events, "the others saw no departure");
    }

    @Test
    void aClientAwayGetsNothingUntilANewLinkTakesItsPlace() {
        Router router = router(false);
        List<FakeLink> links = open(router, 2);
        FakeLink a = links.get(0);
        assertTrue(router.away(2));
        assertTrue(a.closed, "the dead link is closed at once, so nothing queues up on it");
        router.received(3, Delivery.RELIABLE, ScenePacket.fanOut(2, RAW));
        FakeLink back = new FakeLink();
        assertTrue(router.replace(2, back));
        assertEquals(List.of("added 3"), back.events, "what was sent while it was away is gone; it learns who is here");
        assertEquals(List.of("join 2", "join 3"), game.events, "the game saw it neither leave nor join again");
    }

    @Test
    void aClientThatKeepsSendingWhatOnlyPeer1SendsIsKickedOnce() {
        Router router = router(false);
        router.open(who(2), new FakeLink());
        for (int i = 0; i < Router.MALFORMED_LIMIT - 1; i++) {
            router.received(2, Delivery.RELIABLE, ScenePacket.addPeer(5));
        }
        assertEquals(List.of(), kicks, "a few could be a client bug");
        // the hundredth: a fan-out to all whose packet peer 1 must read itself, and cannot (RAW without data)
        router.received(2, Delivery.RELIABLE, ScenePacket.fanOut(0, new byte[] {0x03}));
        assertEquals(List.of("2 Too many malformed packets"), kicks);
        router.received(2, Delivery.RELIABLE, new byte[0]);
        router.received(2, Delivery.RELIABLE, new byte[] {0x07, 0x09});
        assertEquals(List.of("2 Too many malformed packets"), kicks, "kicked once; the lobby removes it");
    }
}

package io.meshgate.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Orderings between a peer's requests and its disconnect that sockets cannot force, driven step by step: lobby events
 * run only when the test says so, so an interleaving that is rare under real threads happens every time here.
 */
class LobbyServiceTest {

    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LobbyService lobbies = new LobbyService(
            new LobbyService.Limits(100, 100, 10, Duration.ofSeconds(10), 3, 0), pending::add, timer, null);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private void runPending() {
        Runnable task;
        while ((task = pending.poll()) != null) {
            task.run();
        }
    }

    /** A peer that writes down what the core tells it. */
    private static final class Recorder extends Peer {
        final List<String> events = new ArrayList<>();
        String lobby;

        @Override
        protected void assigned(int id, boolean mesh) {
            events.add("assigned " + id);
        }

        @Override
        protected void peerConnected(int id) {
            events.add("connected " + id);
        }

        @Override
        protected void peerDisconnected(int id) {
            events.add("disconnected " + id);
        }

        @Override
        protected void joined(String lobbyName) {
            lobby = lobbyName;
            events.add("joined");
        }

        @Override
        protected void sealed() {
            events.add("sealed");
        }

        @Override
        protected void forwarded(Signal kind, int from, String payload) {
            events.add(kind + " from " + from);
        }

        @Override
        protected void refused(Reason reason) {
            events.add("refused " + reason);
        }

        @Override
        protected void ended(Reason reason) {
            events.add("ended " + reason);
        }

        @Override
        protected void kicked(String message) {
            events.add("kicked " + message);
        }
    }

    private Recorder registered() {
        Recorder peer = new Recorder();
        assertTrue(lobbies.register(peer));
        return peer;
    }

    @Test
    void creatorGoneBeforeItsJoinRunsLeavesNoLobby() {
        Recorder creator = registered();
        lobbies.create(creator, true, false);
        assertEquals(1, lobbies.lobbyCount());
        lobbies.unregister(creator); // the socket closed while the creation was still queued
        runPending();
        assertEquals(0, lobbies.lobbyCount(), "a lobby whose creator never arrived is removed");
        assertEquals(List.of(), creator.events);
    }

    @Test
    void creatorGoneBeforeItsLobbyIsEvenPublishedLeavesNoLobby() {
        Recorder creator = registered();
        lobbies.unregister(creator); // the close won the race against a JOIN still being parsed
        lobbies.create(creator, true, false);
        runPending();
        assertEquals(0, lobbies.lobbyCount());
    }

    @Test
    void joinerGoneBeforeItsJoinRunsIsNeverAnnounced() throws Exception {
        Recorder host = registered();
        lobbies.create(host, true, false);
        runPending();
        Recorder joiner = registered();
        lobbies.join(joiner, host.lobby);
        lobbies.unregister(joiner);
        runPending();
        assertEquals(List.of("assigned 1", "joined"), host.events, "the host never hears of it");
        var members = lobbies.members(host.lobby);
        runPending();
        assertEquals(List.of(1), members.get());
    }

    @Test
    void joinerGoneAfterJoiningIsAnnouncedAsLeaving() {
        Recorder host = registered();
        lobbies.create(host, true, false);
        runPending();
        Recorder joiner = registered();
        lobbies.join(joiner, host.lobby);
        runPending();
        lobbies.unregister(joiner);
        runPending();
        assertEquals(List.of("assigned 1", "joined", "connected " + joiner.id(), "disconnected " + joiner.id()),
                host.events);
    }

    @Test
    void idsAreUniqueAndNeverZeroOrOne() {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            Recorder peer = registered();
            assertTrue(peer.id() >= 2, "id " + peer.id());
            assertTrue(ids.add(peer.id()));
        }
        assertFalse(lobbies.register(new Recorder()), "the 101st is over the limit");
    }

    @Test
    void aQuickPlayLobbyClosingBeforeTheJoinRunsMatchesThePlayerAgain() {
        Recorder host = registered();
        lobbies.quickPlay(host, true, false);
        runPending();
        String first = host.lobby;
        lobbies.unregister(host); // the host leaves: its lobby will close, but is still in the pool for a moment
        Recorder player = registered();
        lobbies.quickPlay(player, true, false); // picks the closing lobby
        runPending();
        assertEquals(List.of("assigned 1", "joined"), player.events, "matched into a new lobby, not refused");
        assertTrue(lobbies.lobbyExists(player.lobby));
        assertFalse(lobbies.lobbyExists(first));
    }

    @Test
    void aNamedLobbyClosingBeforeTheJoinRunsIsNotFound() {
        Recorder host = registered();
        lobbies.create(host, true, false);
        runPending();
        lobbies.unregister(host);
        Recorder joiner = registered();
        lobbies.join(joiner, host.lobby);
        runPending();
        assertEquals(List.of("refused LOBBY_NOT_FOUND"), joiner.events);
    }

    @Test
    void oneListingLooksAtABoundedNumberOfLobbiesAndSaysWhereToGoOn() {
        LobbyService many = new LobbyService(new LobbyService.Limits(5000, 5000, 10, Duration.ofSeconds(10), 3, 0),
                pending::add, timer, null);
        for (int i = 0; i < LobbyService.MAX_EXAMINED + 500; i++) {
            Recorder host = new Recorder();
            assertTrue(many.register(host));
            many.create(host, true, false, null, Map.of(), Visibility.PUBLIC);
        }
        runPending();
        LobbyService.Page none = many.listPublic(Dialect.GODOT4, "no-such-game", Map.of(), false, 0, 20);
        assertTrue(none.lobbies().isEmpty());
        assertTrue(none.next() > 0, "a capped scan says where to go on: " + none.next());
        LobbyService.Page rest = many.listPublic(Dialect.GODOT4, "no-such-game", Map.of(), false,
                none.next(), 20);
        assertEquals(0, rest.next(), "the rest fits in one scan");
        LobbyService.Page first = many.listPublic(Dialect.GODOT4, null, Map.of(), false, 0, 20);
        assertEquals(20, first.lobbies().size());
        assertEquals(first.lobbies().get(19).number(), first.next());
    }

    @Test
    void theDirectoryHearsWhetherAQuickPlaySeatIsFreeAsItChangesAndNoneOnceDraining() {
        List<String> told = new ArrayList<>();
        lobbies.directory(new LobbyService.Directory() {
            @Override
            public void quickPlayOpen(String kind, boolean open) {
                told.add(kind + (open ? " open" : " full"));
            }

            @Override
            public void draining() {
                told.add("draining");
            }
        });
        List<Recorder> players = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // the quick-play size is 3
            Recorder player = registered();
            players.add(player);
            lobbies.quickPlay(player, true, false);
            runPending();
        }
        assertEquals(List.of("godot4/mesh/peer open", "godot4/mesh/peer full"), told, "said once per change");
        lobbies.unregister(players.get(2));
        runPending();
        assertEquals("godot4/mesh/peer open", told.get(2), "a seat freed");
        lobbies.drain();
        assertEquals(List.of("godot4/mesh/peer full", "draining"), told.subList(3, told.size()),
                "a draining node offers no seat");
        lobbies.unregister(players.get(1));
        runPending();
        assertEquals(5, told.size(), "nor once a seat frees up while it drains");
    }
}

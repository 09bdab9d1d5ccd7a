package io.meshgate.signaling;

import static io.meshgate.wire.godot4.SignalMessage.CANDIDATE;
import static io.meshgate.wire.godot4.SignalMessage.ID;
import static io.meshgate.wire.godot4.SignalMessage.JOIN;
import static io.meshgate.wire.godot4.SignalMessage.PEER_CONNECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshgate.testkit.Eventually;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many clients at once: ids stay unique, membership consistent, no message lost, nothing left behind. */
class ConcurrencyTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // A short resume window: clients that drop hold their seats that long, then everything must be gone.
        server = new TestServer("--max-lobby-peers", "128", "--no-lobby-timeout", "30000", "--resume-window", "500");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static List<SignalingClient> connectAll(int count) throws Exception {
        List<CompletableFuture<SignalingClient>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(server.connectAsync());
        }
        List<SignalingClient> clients = new ArrayList<>();
        for (CompletableFuture<SignalingClient> future : pending) {
            clients.add(future.get(SignalingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        return clients;
    }

    @Test
    void concurrentJoinsIntoOneLobbyGetUniqueIdsAndAConsistentView() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        int joiners = 100;
        List<SignalingClient> clients = connectAll(joiners);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (SignalingClient client : clients) {
            sent.add(senders.submit(() -> {
                go.await();
                client.send(JOIN, 0, lobby);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : sent) {
            future.get(SignalingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        senders.shutdown();

        // Each joiner's view: its id, the peers already there, JOIN, then the peers that joined after it.
        int[] ids = new int[joiners];
        List<Set<Integer>> views = new ArrayList<>();
        for (int i = 0; i < joiners; i++) {
            SignalingClient client = clients.get(i);
            SignalMessage id = client.next();
            assertEquals(ID, id.type());
            ids[i] = id.id();
            Set<Integer> view = new HashSet<>();
            SignalMessage message;
            while ((message = client.next()).type() == PEER_CONNECT) {
                assertTrue(view.add(message.id()), "announced once: " + message.id());
            }
            assertEquals(JOIN, message.type());
            assertEquals(lobby, message.data());
            views.add(view);
        }
        Set<Integer> everyone = new HashSet<>(List.of(1));
        for (int id : ids) {
            assertTrue(id >= 2 && everyone.add(id), "unique joiner id " + id);
        }
        for (int i = 0; i < joiners; i++) {
            Set<Integer> view = views.get(i);
            while (view.size() < joiners) {
                SignalMessage message = clients.get(i).next();
                assertEquals(PEER_CONNECT, message.type());
                assertTrue(view.add(message.id()), "announced once: " + message.id());
            }
            Set<Integer> others = new HashSet<>(everyone);
            others.remove(ids[i]);
            assertEquals(others, view, "joiner " + ids[i] + " knows everyone else");
        }
        Set<Integer> hostView = new HashSet<>();
        for (int i = 0; i < joiners; i++) {
            SignalMessage message = host.next();
            assertEquals(PEER_CONNECT, message.type());
            hostView.add(message.id());
        }
        everyone.remove(1);
        assertEquals(everyone, hostView);
        everyone.add(1);
        assertEquals(everyone, new HashSet<>(server.server.lobbies().members(lobby).get()));
        server.closeClients();
    }

    @Test
    void clientsDroppingRightAfterJoinLeaveNoLobbyOrMemberBehind() throws Exception {
        SignalingClient host = server.connect();
        String lobby = host.create(true);
        List<SignalingClient> clients = connectAll(300);
        for (int i = 0; i < clients.size(); i++) {
            SignalingClient client = clients.get(i);
            client.send(JOIN, 0, i % 2 == 0 ? "" : lobby); // half create a lobby, half join the host's
            client.disconnect();
        }
        // Earlier tests' clients may still be closing when this one starts: wait for the state, not for a delta.
        Eventually.await(() -> server.server.connections().count() == 1 && server.server.lobbies().peerCount() == 1
                        && server.server.lobbies().lobbyCount() == 1 && server.server.lobbies().heldSeats() == 0,
                SignalingClient.WAIT,
                () -> "only the host left: connections " + server.server.connections().count() + ", peers "
                        + server.server.lobbies().peerCount() + ", lobbies " + server.server.lobbies().lobbyCount());
        assertEquals(List.of(1), server.server.lobbies().members(lobby).get());
        server.closeClients();
    }

    @Test
    void fiveHundredClientsRelayWithoutLossAndLeaveNothingBehind() throws Exception {
        int clientsCount = 500;
        int lobbySize = 5;
        int perPeer = 20;
        List<SignalingClient> clients = connectAll(clientsCount);
        List<List<SignalingClient>> lobbies = new ArrayList<>();
        List<List<Integer>> lobbyIds = new ArrayList<>();
        for (int start = 0; start < clientsCount; start += lobbySize) {
            List<SignalingClient> members = clients.subList(start, start + lobbySize);
            String name = members.get(0).create(true);
            List<Integer> ids = new ArrayList<>(List.of(1));
            for (SignalingClient member : members.subList(1, lobbySize)) {
                member.send(JOIN, 0, name);
            }
            for (SignalingClient member : members.subList(1, lobbySize)) {
                ids.add(member.next().id());
            }
            lobbies.add(members);
            lobbyIds.add(ids);
        }
        // Drain every join sequence: each member ends up with lobbySize - 1 PEER_CONNECTs and one JOIN.
        for (List<SignalingClient> members : lobbies) {
            for (int m = 0; m < lobbySize; m++) {
                int expected = lobbySize - 1 + (m == 0 ? 0 : 1);
                for (int k = 0; k < expected; k++) {
                    SignalMessage message = members.get(m).next();
                    assertTrue(message.type() == PEER_CONNECT || message.type() == JOIN, message.toString());
                }
            }
        }

        // Everyone sends perPeer candidates to every other member, all at once.
        for (int l = 0; l < lobbies.size(); l++) {
            List<SignalingClient> members = lobbies.get(l);
            List<Integer> ids = lobbyIds.get(l);
            for (int seq = 0; seq < perPeer; seq++) {
                for (int from = 0; from < lobbySize; from++) {
                    for (int to = 0; to < lobbySize; to++) {
                        if (from != to) {
                            members.get(from).send(CANDIDATE, ids.get(to), "\n0\n" + seq + "\nfrom " + ids.get(from));
                        }
                    }
                }
            }
        }
        for (int l = 0; l < lobbies.size(); l++) {
            List<SignalingClient> members = lobbies.get(l);
            List<Integer> ids = lobbyIds.get(l);
            for (int to = 0; to < lobbySize; to++) {
                Map<Integer, Integer> nextSeq = new HashMap<>();
                for (int k = 0; k < perPeer * (lobbySize - 1); k++) {
                    SignalMessage message = members.get(to).next();
                    assertEquals(CANDIDATE, message.type());
                    int source = message.id();
                    int seq = nextSeq.merge(source, 1, Integer::sum) - 1;
                    // per sender, in order and complete; the source id is as the receiver knows it
                    assertEquals("\n0\n" + seq + "\nfrom " + source, message.data());
                }
                assertEquals(lobbySize - 1, nextSeq.size());
                assertTrue(ids.containsAll(nextSeq.keySet()));
            }
        }
        assertEquals(clientsCount / lobbySize, server.server.lobbies().lobbyCount());

        server.closeClients();
        Eventually.await(() -> server.server.lobbies().lobbyCount() == 0 && server.server.lobbies().peerCount() == 0
                        && server.server.connections().count() == 0, SignalingClient.WAIT,
                () -> "all gone: lobbies " + server.server.lobbies().lobbyCount() + ", peers "
                        + server.server.lobbies().peerCount() + ", connections " + server.server.connections().count());
    }
}

package io.meshgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshgate.wire.cluster.EnvelopeCodec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where players that named no lobby go, by the nodes' load as the directory shows it. */
class PlacementTest {

    private static Cluster.Node node(String id, int players, int capacity, double cpu) {
        return new Cluster.Node(id, "", EnvelopeCodec.FORMAT, players, capacity, cpu, false);
    }

    @Test
    void aNewLobbyGoesWhereTheLoadIsClearlyLowestByPlayersOrCpuNotLobbies() {
        List<Cluster.Node> nodes = List.of(node("a", 80, 100, 0.2), node("b", 10, 100, 0.1), node("c", 5, 100, 0.5));
        assertEquals("b", Placement.newLobby(nodes, "a"), "b: 0.1; c's CPU makes it 0.5");
        assertEquals("b", Placement.newLobby(nodes, "b"));
        assertEquals(0.8, Placement.load(nodes.get(0)), 1e-9);

        List<Cluster.Node> close = List.of(node("a", 15, 100, 0.1), node("b", 10, 100, 0.1));
        assertEquals("a", Placement.newLobby(close, "a"), "within the margin the player's own node keeps it");
        assertEquals("a", Placement.newLobby(List.of(), "a"), "a node that sees no other keeps it");
    }

    @Test
    void aDrainingNodeOrOneThatCannotReadTheRequestGetsNoPlayer() {
        Cluster.Node busy = node("a", 90, 100, 0);
        Cluster.Node draining = new Cluster.Node("b", "", EnvelopeCodec.FORMAT, 0, 100, 0, true);
        Cluster.Node older = new Cluster.Node("c", "", 1, 0, 100, 0, false);
        List<Cluster.Node> nodes = List.of(busy, draining, older);
        assertEquals("a", Placement.newLobby(nodes, "a"));
        assertEquals("a", Placement.quickPlay(nodes, "a", Set.of("b", "c")));
        Cluster.Node busier = node("d", 95, 100, 0);
        assertEquals("d", Placement.newLobby(List.of(node("a", 0, 100, 0), busier), "a", true),
                "a draining node opens a lobby asked of it elsewhere, even on a busier node");
        assertEquals("a", Placement.newLobby(List.of(node("a", 0, 100, 0), draining), "a", true),
                "and itself only when no other can");
    }

    @Test
    void quickPlayFillsAnOpenLobbyFirstOnTheLeastLoadedNodeWithOne() {
        List<Cluster.Node> nodes = List.of(node("a", 30, 100, 0), node("b", 60, 100, 0), node("c", 40, 100, 0),
                node("d", 1, 100, 0));
        assertEquals("c", Placement.quickPlay(nodes, "a", Set.of("a", "b", "c")),
                "a seat elsewhere before a new lobby, even on a busier node");
        assertEquals("d", Placement.quickPlay(nodes, "a", Set.of("a")),
                "its own seats were looked at already, and none elsewhere: the most room");
        assertEquals("d", Placement.quickPlay(nodes, "b", Set.of()), "no seat anywhere: the most room");
    }
}

package io.meshgate.server;

import io.meshgate.host.SetupLimit;
import io.meshgate.lobby.LobbyService;
import io.meshgate.match.MatchService;
import io.meshgate.net.Connections;
import io.meshgate.relay.StandIns;
import io.meshgate.rtc.RtcEngine;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.meshgate.cluster.Cluster;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} on the admin listener, in Prometheus' text format, through Prometheus' own Java client. Most
 * figures are read from the server's state when scraped; labels take only bounded values (endpoints, dialects,
 * reasons, close codes), never a lobby name or a peer id. JVM and process metrics come from the client's JVM module.
 */
final class Metrics extends Handler.Abstract {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram ticks;
    private final Histogram cycles;

    Metrics(LobbyService lobbies, Connections connections, RtcEngine rtc, SetupLimit setups, MatchService matches,
            StandIns standIns, Cluster cluster) {
        if (cluster != null) {
            GaugeWithCallback.builder().name("meshgate_cluster_redis_up")
                    .help("1 when this node's last heartbeat reached Redis, else 0")
                    .callback(out -> out.call(cluster.view().redisReachable() ? 1 : 0)).register(registry);
            GaugeWithCallback.builder().name("meshgate_cluster_nodes")
                    .help("Nodes in the cluster's directory as of this node's last heartbeat")
                    .callback(out -> out.call(cluster.view().nodes().size())).register(registry);
            GaugeWithCallback.builder().name("meshgate_cluster_matchmaker")
                    .help("1 while this node runs the cluster's matchmaker (holds its lease), else 0")
                    .callback(out -> out.call(cluster.nodeId().equals(cluster.view().matchmaker()) ? 1 : 0))
                    .register(registry);
            CounterWithCallback.builder().name("meshgate_cluster_messages_sent_total")
                    .help("Messages this node sent other nodes (signals, requests, events, game packets)")
                    .callback(out -> out.call(cluster.messagesSent())).register(registry);
            CounterWithCallback.builder().name("meshgate_cluster_publishes_total")
                    .help("Redis PUBLISHes that carried them: fewer than the messages once batches form")
                    .callback(out -> out.call(cluster.publishes())).register(registry);
            CounterWithCallback.builder().name("meshgate_cluster_messages_received_total")
                    .help("Messages this node received from other nodes")
                    .callback(out -> out.call(cluster.messagesReceived())).register(registry);
        }
        GaugeWithCallback.builder().name("meshgate_connections").help("Open WebSocket connections, by endpoint")
                .labelNames("endpoint")
                .callback(out -> connections.countByEndpoint().forEach((endpoint, n) -> out.call(n, endpoint)))
                .register(registry);
        GaugeWithCallback.builder().name("meshgate_peers").help("Registered peers (connections the core knows)")
                .callback(out -> out.call(lobbies.peerCount())).register(registry);
        GaugeWithCallback.builder().name("meshgate_held_seats")
                .help("Seats held for connections that dropped, for their players to resume")
                .callback(out -> out.call(lobbies.heldSeats())).register(registry);
        GaugeWithCallback.builder().name("meshgate_stand_in_connections")
                .help("WebRTC connections the server holds for relay players in peer-hosted lobbies")
                .callback(out -> out.call(standIns.connections())).register(registry);
        GaugeWithCallback.builder().name("meshgate_lobbies").help("Open lobbies, by dialect and hosting")
                .labelNames("dialect", "hosting")
                .callback(out -> lobbies.lobbyCountByKind().forEach((kind, n) -> out.call(n, kind.get(0), kind.get(1))))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_refusals_total").help("Requests the lobby core refused, by reason")
                .labelNames("reason")
                .callback(out -> lobbies.refusals().forEach((reason, n) ->
                        out.call(n, reason.name().toLowerCase(Locale.ROOT))))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_messages_received_total")
                .help("Messages clients sent within the rate limit")
                .callback(out -> out.call(connections.messagesReceived())).register(registry);
        CounterWithCallback.builder().name("meshgate_received_bytes").unit(Unit.BYTES)
                .help("Payload bytes of the text and binary messages clients sent within the rate limit")
                .callback(out -> out.call(connections.bytesReceived())).register(registry);
        CounterWithCallback.builder().name("meshgate_messages_sent_total").help("Messages written to clients")
                .callback(out -> out.call(connections.messagesSent())).register(registry);
        CounterWithCallback.builder().name("meshgate_sent_bytes").unit(Unit.BYTES)
                .help("Payload bytes of the messages written to clients")
                .callback(out -> out.call(connections.bytesSent())).register(registry);
        CounterWithCallback.builder().name("meshgate_joins_total").help("Peers that joined a lobby, by its dialect")
                .labelNames("dialect")
                .callback(out -> lobbies.joins().forEach((dialect, n) -> out.call(n, dialect.label())))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_rate_limited_total")
                .help("Connections closed for exceeding the message rate")
                .callback(out -> out.call(connections.rateLimited())).register(registry);
        CounterWithCallback.builder().name("meshgate_closes_total").help("Connections the server closed, by close code")
                .labelNames("code")
                .callback(out -> connections.closesByCode().forEach((code, n) -> out.call(n, Integer.toString(code))))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_slow_readers_dropped_total")
                .help("Connections dropped for holding too much unsent data")
                .callback(out -> out.call(connections.dropped())).register(registry);
        GaugeWithCallback.builder().name("meshgate_send_queue_bytes").unit(Unit.BYTES)
                .help("Bytes waiting to be written to clients").callback(out -> out.call(connections.queuedBytes()))
                .register(registry);
        GaugeWithCallback.builder().name("meshgate_webrtc_connections")
                .help("Server-side WebRTC connections alive").callback(out -> out.call(rtc.stats().liveConnections()))
                .register(registry);
        GaugeWithCallback.builder().name("meshgate_webrtc_connections_in_setup")
                .help("Server-side WebRTC connections being set up").callback(out -> out.call(setups.pending()))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_webrtc_generations_started_total")
                .help("Native WebRTC factories started").callback(out -> out.call(rtc.stats().generationsStarted()))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_webrtc_generations_disposed_total")
                .help("Native WebRTC factories disposed").callback(out -> out.call(rtc.stats().generationsDisposed()))
                .register(registry);
        CounterWithCallback.builder().name("meshgate_webrtc_messages_received_total")
                .help("Messages received on the server's data channels")
                .callback(out -> out.call(rtc.stats().messagesReceived())).register(registry);
        ticks = Histogram.builder().name("meshgate_game_tick_seconds").unit(Unit.SECONDS)
                .help("Time a game tick took, snapshots' encoding and sending included, by game").labelNames("game")
                .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25)
                .register(registry);
        GaugeWithCallback.builder().name("meshgate_matchmaker_tickets").help("Matchmaking tickets waiting")
                .callback(out -> out.call(matches.waiting())).register(registry);
        CounterWithCallback.builder().name("meshgate_matchmaker_matches_total")
                .help("Matches the matchmaker made, each with a lobby opened")
                .callback(out -> out.call(matches.matches())).register(registry);
        cycles = Histogram.builder().name("meshgate_matchmaker_cycle_seconds").unit(Unit.SECONDS)
                .help("Time one matchmaker cycle took")
                .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25)
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** A tick of {@code game} (its name: one of the server's games, a bounded set) took {@code nanos}; any thread. */
    void tick(String game, long nanos) {
        ticks.labelValues(game).observe(nanos / 1e9);
    }

    /** A matchmaker cycle took {@code nanos}; the matchmaker's thread. */
    void matchCycle(long nanos) {
        cycles.observe(nanos / 1e9);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        if (!"/metrics".equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 << 10);
        writer.write(text, registry.scrape());
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, writer.getContentType());
        response.write(true, ByteBuffer.wrap(text.toByteArray()), callback);
        return true;
    }
}

package io.meshgate.server;

import io.meshgate.lobby.LobbyService;
import io.meshgate.match.MatchService;
import io.meshgate.net.Connections;
import io.meshgate.relay.StandIns;
import io.meshgate.rtc.RtcEngine;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /stats} on the admin listener: the server's figures as one JSON object, for benchmarks and operators.
 * Query flags, which act on the server and so need the admin token ({@code Authorization: Bearer <token>}):
 * {@code gc=1} runs a garbage collection first (for heap figures that mean something), {@code reset=1} clears the
 * tick histogram after reading it (to measure a window).
 */
final class StatsHandler extends Handler.Abstract {

    private final LobbyService lobbies;
    private final Connections connections;
    private final RtcEngine rtc;
    private final Histogram ticks;
    private final AdminToken token;
    private final BooleanSupplier draining;
    private final MatchService matches;
    private final StandIns standIns;

    StatsHandler(LobbyService lobbies, Connections connections, RtcEngine rtc, Histogram ticks, String adminToken,
                 BooleanSupplier draining, MatchService matches, StandIns standIns) {
        this.standIns = standIns;
        this.draining = draining;
        this.matches = matches;
        this.lobbies = lobbies;
        this.connections = connections;
        this.rtc = rtc;
        this.ticks = ticks;
        this.token = new AdminToken(adminToken);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/stats".equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        boolean gc = "1".equals(query.getValue("gc"));
        boolean reset = "1".equals(query.getValue("reset"));
        if ((gc || reset) && !token.allows(request, response, callback, gc ? "gc" : "reset")) {
            return true;
        }
        if (gc) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        RtcEngine.Stats rtcStats = rtc.stats();
        String json = "{\"draining\":" + draining.getAsBoolean()
                + ",\"connections\":" + connections.count()
                + ",\"peers\":" + lobbies.peerCount()
                + ",\"heldSeats\":" + lobbies.heldSeats()
                + ",\"standInConnections\":" + standIns.connections()
                + ",\"lobbies\":" + lobbies.lobbyCount()
                + ",\"connectionsByEndpoint\":" + json(connections.countByEndpoint())
                + ",\"lobbiesByDialect\":" + json(lobbies.lobbyCountByDialect())
                + ",\"messagesReceived\":" + connections.messagesReceived()
                + ",\"bytesReceived\":" + connections.bytesReceived()
                + ",\"messagesSent\":" + connections.messagesSent()
                + ",\"bytesSent\":" + connections.bytesSent()
                + ",\"matchmaker\":{\"waiting\":" + matches.waiting() + ",\"matches\":" + matches.matches() + "}"
                + ",\"rtc\":{\"generationsStarted\":" + rtcStats.generationsStarted()
                + ",\"generationsDisposed\":" + rtcStats.generationsDisposed()
                + ",\"liveConnections\":" + rtcStats.liveConnections()
                + ",\"messagesReceived\":" + rtcStats.messagesReceived()
                + ",\"gatheringsCompleted\":" + rtcStats.gatheringsCompleted() + "}"
                + ",\"tick\":{\"count\":" + ticks.count()
                + ",\"p50Us\":" + ticks.percentile(50)
                + ",\"p99Us\":" + ticks.percentile(99)
                + ",\"maxUs\":" + ticks.percentile(100) + "}"
                + ",\"heapUsedKb\":" + (runtime.totalMemory() - runtime.freeMemory()) / 1024
                + ",\"heapCommittedKb\":" + runtime.totalMemory() / 1024
                + ",\"threads\":" + osThreads()
                + ",\"javaThreads\":" + ManagementFactory.getThreadMXBean().getThreadCount()
                + ",\"rssKb\":" + rssKb() + "}";
        if (reset) {
            ticks.reset();
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** Keys are our own paths and dialect names: nothing in them needs escaping. */
    private static String json(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder("{");
        counts.forEach((key, count) -> out.append(out.length() > 1 ? "," : "").append('"').append(key).append("\":")
                .append(count));
        return out.append('}').toString();
    }

    /** Native threads included (webrtc's), which the JVM's own count does not see. */
    private static long osThreads() {
        return status("Threads:");
    }

    private static long rssKb() {
        return status("VmRSS:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}

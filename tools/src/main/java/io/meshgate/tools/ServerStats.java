package io.meshgate.tools;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A Meshgate server's {@code GET /stats}, as the benchmarks read it: on the port of its WebSocket URL. */
public final class ServerStats {

    private final URI stats;
    private final HttpClient http = HttpClient.newHttpClient();

    public ServerStats(URI signalingUrl) {
        this.stats = URI.create("http://" + signalingUrl.getHost() + ":" + signalingUrl.getPort() + "/stats");
    }

    /** Reads the figures; {@code query} is "" or flags such as "?gc=1" or "?reset=1". */
    public Reading read(String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stats + query)).timeout(Duration.ofSeconds(10)).build();
        return new Reading(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** One reading: a flat JSON text whose numbers are looked up by key. */
    public record Reading(String json) {
        /** The number after {@code "key":}, or -1 if the key is absent. */
        public long number(String key) {
            int at = json.indexOf("\"" + key + "\":");
            if (at < 0) {
                return -1;
            }
            int start = at + key.length() + 3;
            int end = start;
            while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
                end++;
            }
            return Long.parseLong(json.substring(start, end));
        }
    }
}

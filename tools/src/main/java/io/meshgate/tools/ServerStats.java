package io.meshgate.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Meshgate server's {@code GET /stats}, as the benchmarks read it: on its admin listener, with the admin token for
 * the flags that act on the server ({@code gc}, {@code reset}).
 */
public final class ServerStats {

    private final URI stats;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    /** {@code adminUrl} is the admin listener, such as {@code http://127.0.0.1:9081/}. */
    public ServerStats(URI adminUrl, String token) {
        this.stats = adminUrl.resolve("/stats");
        this.token = token;
    }

    /** Reads the figures; {@code query} is "" or flags such as "?gc=1" or "?reset=1". */
    public Reading read(String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stats + query)).timeout(Duration.ofSeconds(10));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(stats + query + " answered " + response.statusCode()
                    + (response.statusCode() == 401 || response.statusCode() == 403 ? " (give --admin-token)" : ""));
        }
        return new Reading(response.body());
    }

    /** One reading: the JSON object, whose numbers are looked up by path. */
    public record Reading(String json) {
        private static final ObjectMapper JSON = new ObjectMapper();

        /**
         * The number at {@code path}: a key of the object, or keys of nested objects joined by dots
         * ({@code "rtc.liveConnections"}); -1 if there is no number there.
         */
        public long number(String path) {
            JsonNode node;
            try {
                node = JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("/stats is not JSON: " + json, e);
            }
            for (String key : path.split("\\.")) {
                node = node.path(key);
            }
            return node.isNumber() ? node.asLong() : -1;
        }
    }
}

package io.meshgate.rtc;

import io.meshgate.wire.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN and TURN servers peer connections use, the server's own and its clients': with a TURN secret, each gets
 * credentials of its own that expire, in the form TURN servers check without asking anyone (coturn's
 * {@code use-auth-secret}, the "TURN REST API": the username is {@code <expiry in Unix seconds>:<who>}, the password
 * the Base64 HMAC-SHA1 of the username under the shared secret). Without a secret, the configured username and
 * credential, if any, go to everyone. Thread-safe.
 */
public final class IceServers {

    private final List<String> urls;
    private final String username;
    private final String credential;
    private final byte[] secret;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param urls {@code stun:}, {@code turn:} and {@code turns:} URLs; none turns ICE servers off
     * @param username for TURN without a secret, or null
     * @param credential for TURN without a secret, or null
     * @param turnSecret the secret shared with the TURN server, or null to hand out {@code username} and
     *     {@code credential} as they are
     * @param lifetime how long minted credentials stay valid
     */
    public IceServers(List<String> urls, String username, String credential, String turnSecret, Duration lifetime,
                      Clock clock) {
        this.urls = List.copyOf(urls);
        this.username = blankToNull(username);
        this.credential = blankToNull(credential);
        this.secret = turnSecret == null || turnSecret.isEmpty() ? null : turnSecret.getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** No ICE servers: peers gather only their own addresses. */
    public static IceServers none() {
        return new IceServers(List.of(), null, null, null, Duration.ZERO, Clock.systemUTC());
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * The servers for one peer; {@code who} names it in minted usernames (a user id or a connection's id: letters,
     * digits and {@code -_.@} are kept, anything else becomes {@code _}, since the TURN server splits on {@code :}).
     * Empty when no URL is configured.
     */
    public List<IceServer> forPeer(String who) {
        if (urls.isEmpty()) {
            return List.of();
        }
        if (secret == null) {
            return List.of(new IceServer(urls, username, credential));
        }
        long expiry = clock.instant().plus(lifetime).getEpochSecond();
        String name = expiry + ":" + who.replaceAll("[^A-Za-z0-9_.@-]", "_");
        return List.of(new IceServer(urls, name, sign(name)));
    }

    private String sign(String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /** Never the credentials: this may end up in a log line. */
    @Override
    public String toString() {
        return "IceServers" + urls + (secret != null ? " with minted TURN credentials" : username != null
                ? " with a TURN username" : "");
    }
}

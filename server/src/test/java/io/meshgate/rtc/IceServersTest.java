package io.meshgate.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.meshgate.wire.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each peer is handed: nothing, the shared TURN login, or a login of its own that expires. */
class IceServersTest {

    private static final Clock AT_1_000_000 = Clock.fixed(Instant.ofEpochSecond(1_000_000), ZoneOffset.UTC);
    private static final List<String> URLS = List.of("stun:turn.example.org:3478", "turn:turn.example.org:3478");

    @Test
    void withoutUrlsThereIsNothingToHandOut() {
        assertEquals(List.of(), IceServers.none().forPeer("anyone"));
    }

    @Test
    void withoutASecretEveryoneGetsTheConfiguredLogin() {
        IceServers ice = new IceServers(URLS, "game", "s3cret", "", Duration.ofHours(1), AT_1_000_000);
        assertEquals(List.of(new IceServer(URLS, "game", "s3cret")), ice.forPeer("a"));
        assertEquals(ice.forPeer("a"), ice.forPeer("b"));
        assertEquals(List.of(new IceServer(List.of("stun:x:3478"), null, null)),
                new IceServers(List.of("stun:x:3478"), "", "", null, Duration.ofHours(1), AT_1_000_000).forPeer("a"));
    }

    @Test
    void withASecretEachPeerGetsItsOwnLoginThatExpires() {
        IceServers ice = new IceServers(URLS, "ignored", "ignored", "north", Duration.ofSeconds(600), AT_1_000_000);
        IceServer alice = ice.forPeer("alice").get(0);
        assertEquals(URLS, alice.urls());
        assertEquals("1000600:alice", alice.username(), "expiry in Unix seconds, then who");
        // HMAC-SHA1 of "1000600:alice" under "north", in Base64, as coturn's use-auth-secret computes it
        // (printf '1000600:alice' | openssl dgst -sha1 -hmac north -binary | base64)
        assertEquals("zkhCGTuuM4ldn4C54gUwSljDA6w=", alice.credential());
        assertNotEquals(alice.credential(), ice.forPeer("bob").get(0).credential());
        assertNotEquals(alice.credential(), new IceServers(URLS, null, null, "south", Duration.ofSeconds(600),
                AT_1_000_000).forPeer("alice").get(0).credential(), "another secret, another credential");
    }

    @Test
    void aNameCannotForgeTheExpiryField() {
        IceServers ice = new IceServers(URLS, null, null, "north", Duration.ofSeconds(600), AT_1_000_000);
        assertEquals("1000600:9999999999_mallory_x", ice.forPeer("9999999999:mallory x").get(0).username());
    }

    @Test
    void itsDescriptionNeverShowsACredential() {
        String shown = new IceServers(URLS, "game", "s3cret", "north", Duration.ofHours(1), AT_1_000_000).toString();
        assertFalse(shown.contains("s3cret") || shown.contains("north"), shown);
    }
}

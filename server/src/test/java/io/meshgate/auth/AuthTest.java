package io.meshgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.game.JoinAttempt;
import io.meshgate.net.CloseStatus;
import io.meshgate.testkit.IdleGame;
import io.meshgate.testkit.SignalingClient;
import io.meshgate.testkit.TestServer;
import io.meshgate.wire.godot4.SignalMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Authentication over real sockets: a token on every path, each refusal with its reason, one connection per user. */
class AuthTest {

    private static final String SECRET = "a secret of at least thirty-two bytes, shared with the backend";
    private static final Algorithm HS256 = Algorithm.HMAC256(SECRET);
    private static final Queue<JoinAttempt> ATTEMPTS = new ConcurrentLinkedQueue<>();
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final String TURN_SECRET = "the TURN server's static-auth-secret";
    private static TestServer server;

    /** A game that notes who asked to join. */
    private static final class Doorman extends IdleGame {
        @Override
        public String onJoinAttempt(JoinAttempt attempt) {
            ATTEMPTS.add(attempt);
            return attempt.userId().equals("banned") ? "You are banned" : null;
        }
    }

    /** The server's own loggers, read at every level (tests log only warnings): does any line carry a token? */
    private static final Logger MESHGATE = (Logger) LoggerFactory.getLogger("io.meshgate");

    @BeforeAll
    static void start() throws Exception {
        LOGS.start();
        MESHGATE.setLevel(Level.ALL);
        MESHGATE.setAdditive(false); // kept from the console, which the rest of the suite keeps at warnings
        MESHGATE.addAppender(LOGS);
        server = new TestServer(room -> new Doorman(), "--auth-secret", SECRET, "--auth-leeway", "30000",
                "--ice-servers", "stun:turn.example.org:3478,turn:turn.example.org:3478", "--turn-secret", TURN_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
        MESHGATE.detachAppender(LOGS);
        MESHGATE.setAdditive(true);
        MESHGATE.setLevel(null);
    }

    /** A token for {@code user}, valid for a minute unless {@code tweak} says otherwise. */
    private static String token(String user, UnaryOperator<JWTCreator.Builder> tweak, Algorithm algorithm) {
        JWTCreator.Builder builder = JWT.create().withSubject(user).withExpiresAt(Instant.now().plusSeconds(60));
        return tweak.apply(builder).sign(algorithm);
    }

    private static String token(String user) {
        return token(user, b -> b, HS256);
    }

    private static SignalingClient connect(TestServer on, String path, String query) throws Exception {
        return SignalingClient.connect(on.jetty, URI.create("ws://127.0.0.1:" + on.port() + path + query));
    }

    @Test
    void aValidTokenLetsTheClientInAndTheGameSeesWhoItIs() throws Exception {
        String token = token("user-7", b -> b.withClaim("name", "Ada"), HS256);
        SignalingClient client = connect(server, "/", "?name=Mallory&token=" + token);
        client.send(SignalMessage.JOIN, 3, ""); // a server-hosted lobby: its game hears the join attempt
        SignalMessage id = client.next();
        assertEquals(SignalMessage.ID, id.type());
        JoinAttempt attempt = ATTEMPTS.stream().filter(a -> a.id() == id.id()).findFirst().orElseThrow();
        assertEquals("user-7", attempt.userId());
        assertEquals("Ada", attempt.name(), "the token's name, not the one the client gave");
        SignalingClient banned = connect(server, "/", "?token=" + token("banned"));
        banned.send(SignalMessage.JOIN, 3, "");
        assertEquals(new CloseStatus(4000, "You are banned"), banned.awaitClose(), "a game refuses by user id");
        client.close();
        List<ILoggingEvent> lines;
        synchronized (LOGS) { // the appender adds under its own lock, from the server's threads
            lines = new java.util.ArrayList<>(LOGS.list);
        }
        String all = lines.stream().map(ILoggingEvent::getFormattedMessage).reduce("", String::concat);
        assertTrue(all.contains("connected from"), "the log was read: " + lines.size() + " lines");
        assertTrue(!all.contains(token) && !all.contains(token.substring(token.lastIndexOf('.') + 1)),
                "no token in the server's log");
    }

    @Test
    void theTurnLoginInIdIsTheUsersOwnSignedAndNeverLogged() throws Exception {
        SignalingClient client = connect(server, "/", "?token=" + token("user-9"));
        client.send(SignalMessage.JOIN, 4, ""); // a peer-hosted lobby: only signaling
        JsonNode id = new ObjectMapper().readTree(client.nextRaw());
        assertEquals(SignalMessage.ID, id.get("type").asInt());
        JsonNode turn = id.get("ice").get(0);
        assertEquals("turn:turn.example.org:3478", turn.get("urls").get(1).asText());
        String username = turn.get("username").asText();
        assertTrue(username.endsWith(":user-9"), "the user's own login: " + username);
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        long hours = (expiry - Instant.now().getEpochSecond()) / 3600;
        assertTrue(hours >= 11 && hours <= 12, "expires after --turn-ttl, 12 h by default: " + username);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TURN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String credential = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        assertEquals(credential, turn.get("credential").asText(), "what a TURN server with the secret checks");
        client.close();
        String all;
        synchronized (LOGS) {
            all = LOGS.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", String::concat);
        }
        assertTrue(!all.contains(credential) && !all.contains(TURN_SECRET), "no TURN credential in the log");
    }

    @Test
    void eachBadTokenIsRefusedWithItsReason() throws Exception {
        Instant now = Instant.now();
        String unsigned = JWT.create().withSubject("u").withExpiresAt(now.plusSeconds(60)).sign(Algorithm.none());
        List<Object[]> cases = List.of(
                new Object[] {"", "Token missing"},
                new Object[] {"?token=", "Token missing"},
                new Object[] {"?token=not.a.jwt", "Token invalid"},
                new Object[] {"?token=" + token("u", b -> b, Algorithm.HMAC256(SECRET + "x")), "Token invalid"},
                new Object[] {"?token=" + unsigned, "Token invalid"},
                new Object[] {"?token=" + JWT.create().withSubject("u").sign(HS256), "Token invalid"},
                new Object[] {"?token=" + JWT.create().withExpiresAt(now.plusSeconds(60)).sign(HS256), "Token invalid"},
                new Object[] {"?token=" + token("u", b -> b.withClaim("name", "x".repeat(33)), HS256), "Token invalid"},
                new Object[] {"?token=" + token("u", b -> b.withExpiresAt(now.minusSeconds(45)), HS256),
                    "Token expired"},
                new Object[] {"?token=" + token("u", b -> b.withNotBefore(now.plusSeconds(45)), HS256),
                    "Token not yet valid"},
                new Object[] {"?token=" + token("u", b -> b.withIssuedAt(now.plusSeconds(45)), HS256),
                    "Token not yet valid"});
        for (Object[] refused : cases) {
            SignalingClient client = connect(server, "/", (String) refused[0]);
            assertEquals(new CloseStatus(4001, (String) refused[1]), client.awaitClose(), (String) refused[0]);
        }
        // Within the leeway, a clock a little behind or ahead is no reason to refuse.
        SignalingClient skewed = connect(server, "/", "?token=" + token("skew", b -> b
                .withExpiresAt(now.minusSeconds(10)).withNotBefore(now.plusSeconds(10)), HS256));
        skewed.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
        assertEquals(SignalMessage.LOBBIES, skewed.next().type());
        skewed.close();
    }

    @Test
    void everyPathAsksForTheToken() throws Exception {
        for (String path : List.of("/godot3", "/gst", "/rooms", "/relay/*", "/relay/godot3/*", "/anything")) {
            SignalingClient client = connect(server, path, "");
            assertEquals(new CloseStatus(4001, "Token missing"), client.awaitClose(), path);
        }
        SignalingClient gstreamer = connect(server, "/gst", "?token=" + token("gst-user"));
        gstreamer.sendRaw("HELLO 1234");
        assertEquals("HELLO", gstreamer.nextRaw(), "a GStreamer client with a token is served as before");
        gstreamer.close();
    }

    @Test
    void aUsersSecondConnectionReplacesItsFirstButNotItsRelay() throws Exception {
        SignalingClient first = connect(server, "/", "?token=" + token("twice"));
        first.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
        first.next();
        // A relay connection is the other kind: a player whose WebRTC failed has both for a moment.
        SignalingClient relay = connect(server, "/relay/nowhere", "?token=" + token("twice"));
        assertEquals(new CloseStatus(4000, "Lobby does not exists"), relay.awaitClose(),
                "the relay judged the lobby, not the user");
        assertTrue(first.isOpen());
        SignalingClient second = connect(server, "/", "?token=" + token("twice"));
        assertEquals(new CloseStatus(4000, "Signed in elsewhere"), first.awaitClose());
        second.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
        assertEquals(SignalMessage.LOBBIES, second.next().type());
        second.close();
    }

    @Test
    void withSameUserRefusedTheFirstConnectionStays() throws Exception {
        try (TestServer strict = new TestServer("--auth-secret", SECRET, "--auth-same-user", "refuse")) {
            SignalingClient first = connect(strict, "/", "?token=" + token("once"));
            first.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
            first.next();
            SignalingClient second = connect(strict, "/", "?token=" + token("once"));
            assertEquals(new CloseStatus(4000, "Already connected elsewhere"), second.awaitClose());
            first.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
            assertEquals(SignalMessage.LOBBIES, first.next().type(), "the first is untouched");
            first.close();
            SignalingClient after = connect(strict, "/", "?token=" + token("once"));
            after.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
            assertEquals(SignalMessage.LOBBIES, after.next().type(), "once it left, the user may connect again");
            after.close();
        }
    }

    @Test
    void rs256AndEs256TokensAreCheckedWithThePublicKey(@TempDir Path dir) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair rsaKeys = rsa.generateKeyPair();
        KeyPair ecKeys = ec.generateKeyPair();
        List<Object[]> kinds = List.of(
                new Object[] {rsaKeys, Algorithm.RSA256(null, (RSAPrivateKey) rsaKeys.getPrivate())},
                new Object[] {ecKeys, Algorithm.ECDSA256(null, (ECPrivateKey) ecKeys.getPrivate())});
        for (Object[] kind : kinds) {
            KeyPair keys = (KeyPair) kind[0];
            Path pem = dir.resolve(keys.getPublic().getAlgorithm() + ".pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                    keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            try (TestServer signed = new TestServer("--auth-public-key", pem.toString())) {
                SignalingClient good = connect(signed, "/", "?token=" + token("k", b -> b, (Algorithm) kind[1]));
                good.sendRaw("{\"type\":100,\"id\":0,\"data\":\"\"}");
                assertEquals(SignalMessage.LOBBIES, good.next().type(), pem.getFileName().toString());
                good.close();
                // The classic confusion: an HS256 token whose secret is the public key, which anyone has.
                String confused = token("k", b -> b, Algorithm.HMAC256(Files.readAllBytes(pem)));
                assertEquals(new CloseStatus(4001, "Token invalid"), connect(signed, "/", "?token=" + confused)
                        .awaitClose());
                assertEquals(new CloseStatus(4001, "Token invalid"), connect(signed, "/", "?token=" + token("k"))
                        .awaitClose());
            }
        }
    }
}

package io.meshgate.tools.godot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.meshgate.testkit.TestServer;
import io.meshgate.tools.pck.Pck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The demo's bots against a server that authenticates: valid tokens play, an expired one hears why it is refused. */
@Tag("netns")
class GodotAuthTest {

    private static final String SECRET = "the backend and the server share this secret of 32+ bytes";
    private static TestServer server;
    private static Path pck;

    @BeforeAll
    static void start() throws Exception {
        pck = Files.createTempDirectory("meshgate-auth").resolve("demo.pck");
        new Pck(4, 6, 0).addDirectory(Path.of("..", "godot-demo")).write(pck);
        server = new TestServer("--auth-secret", SECRET, "--rtc-reveal-cidrs", "10.213.0.0/24",
                "--no-lobby-timeout", "30000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String user, String name, Instant expires) {
        return JWT.create().withSubject(user).withClaim("name", name).withExpiresAt(expires)
                .sign(Algorithm.HMAC256(SECRET));
    }

    private static List<String> bot(String token, String... more) {
        List<String> args = new ArrayList<>(List.of("--bot", "--url", "ws://127.0.0.1:" + server.port() + "/",
                "--token", token, "--timeout", "60"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void botsWithValidTokensPlayUnderTheirTokensNames() throws Exception {
        Instant later = Instant.now().plusSeconds(600);
        try (GodotRuntime.Running alice = GodotRuntime.start(pck, "BOT-DONE", 1,
                bot(token("u-alice", "Alice", later), "--lobby", "*", "--game", "tictactoe", "--name", "Mallory"));
             GodotRuntime.Running bob = GodotRuntime.start(pck, "BOT-DONE", 1,
                bot(token("u-bob", "Bob", later), "--lobby", "*", "--game", "tictactoe"))) {
            for (GodotRuntime.Running bot : List.of(alice, bob)) {
                String done = bot.await("BOT-DONE|", 90);
                String out = String.join("\n", bot.lines());
                assertTrue(done.contains("BOT-DONE|ok"), out);
                assertTrue(out.contains("BOT-RESULT|game=tictactoe") && out.contains("names=Alice,Bob"),
                        "they played each other, named by their tokens: " + out);
            }
        }
    }

    @Test
    void anExpiredTokenIsRefusedWithItsReason() throws Exception {
        try (GodotRuntime.Running bot = GodotRuntime.start(pck, "BOT-DONE", 1,
                bot(token("u-late", "Late", Instant.now().minusSeconds(3600)), "--lobby", "*"))) {
            String done = bot.await("BOT-DONE|", 90);
            assertTrue(done.contains("BOT-DONE|fail|join refused: Token expired"), String.join("\n", bot.lines()));
        }
    }
}

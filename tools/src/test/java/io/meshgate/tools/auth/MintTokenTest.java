package io.meshgate.tools.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshgate.auth.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What mint-token prints is what the server's token check accepts, or refuses when asked for an expired one. */
class MintTokenTest {

    private static final String SECRET = "the development secret, thirty-two bytes or more";

    private static String mint(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, MintToken.run(args));
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void mintedTokensPassTheServersCheck(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Tokens tokens = Tokens.withSecret(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30), null, null);
        Tokens.Verdict fresh = tokens.check(mint("--sub", "ada", "--name", "Ada", "--secret-file", secret.toString()));
        assertEquals(new Tokens.Identity("ada", "Ada"), fresh.identity());
        assertEquals(Tokens.Refusal.EXPIRED, tokens.check(mint("--sub", "ada", "--ttl", "-120", "--secret-file",
                secret.toString())).refusal());
        assertEquals(Tokens.Refusal.NOT_YET_VALID, tokens.check(mint("--sub", "ada", "--not-before", "120",
                "--secret-file", secret.toString())).refusal());
    }
}

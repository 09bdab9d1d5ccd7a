package io.meshgate.tools.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.meshgate.tools.Args;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mints a token the server accepts, for development and tests: what a game's backend does when a player signs in. Signs
 * HS256 with the secret in {@code MESHGATE_AUTH_SECRET} or {@code --secret-file}, or RS256 / ES256 with a PKCS#8 PEM
 * private key ({@code --private-key}); prints the token.
 */
public final class MintToken {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private MintToken() {
    }

    public static int run(String[] argv) throws Exception {
        Args args = new Args(argv);
        if (args.flag("help")) {
            System.out.println("mint-token --sub USER [--name NAME] [--ttl SECONDS (3600)] [--not-before SECONDS (0)]\n"
                    + "           [--issuer ISS] [--audience AUD] [--secret-file FILE | --private-key PEM]\n"
                    + "HS256 with the secret in $MESHGATE_AUTH_SECRET or --secret-file (the server's --auth-secret);\n"
                    + "RS256 or ES256 with --private-key, a PKCS#8 PEM whose public key the server has "
                    + "(--auth-public-key).\n--ttl may be negative, to make an expired token for a test.");
            return 0;
        }
        String user = args.string("sub", null);
        String name = args.string("name", null);
        int ttl = args.integer("ttl", 3600);
        int notBefore = args.integer("not-before", 0);
        String issuer = args.string("issuer", null);
        String audience = args.string("audience", null);
        String secretFile = args.string("secret-file", null);
        String privateKey = args.string("private-key", null);
        args.rejectUnknown();
        if (user == null || user.isEmpty()) {
            System.err.println("mint-token: --sub (the user id) is required");
            return 2;
        }
        Algorithm algorithm;
        if (privateKey != null) {
            algorithm = signer(Files.readString(Path.of(privateKey), StandardCharsets.US_ASCII));
        } else {
            String secret = secretFile != null ? Files.readString(Path.of(secretFile), StandardCharsets.UTF_8).strip()
                    : System.getenv("MESHGATE_AUTH_SECRET");
            if (secret == null || secret.isEmpty()) {
                System.err.println("mint-token: set MESHGATE_AUTH_SECRET, or give --secret-file or --private-key");
                return 2;
            }
            algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        }
        Instant now = Instant.now();
        JWTCreator.Builder token = JWT.create().withSubject(user).withIssuedAt(now)
                .withExpiresAt(now.plusSeconds(ttl));
        if (notBefore != 0) {
            token.withNotBefore(now.plusSeconds(notBefore));
        }
        if (name != null) {
            token.withClaim("name", name);
        }
        if (issuer != null) {
            token.withIssuer(issuer);
        }
        if (audience != null) {
            token.withAudience(audience);
        }
        System.out.println(token.sign(algorithm));
        return 0;
    }

    private static Algorithm signer(String pem) throws Exception {
        Matcher block = PRIVATE_KEY.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("--private-key: no PKCS#8 PEM key (BEGIN PRIVATE KEY) in it");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(1)));
        for (String kind : new String[] {"RSA", "EC"}) {
            try {
                PrivateKey key = KeyFactory.getInstance(kind).generatePrivate(spec);
                return key instanceof RSAPrivateKey rsa ? Algorithm.RSA256(null, rsa)
                        : Algorithm.ECDSA256(null, (ECPrivateKey) key);
            } catch (java.security.spec.InvalidKeySpecException notThisKind) {
                // the next kind
            }
        }
        throw new IllegalArgumentException("--private-key: neither an RSA nor an EC key");
    }
}

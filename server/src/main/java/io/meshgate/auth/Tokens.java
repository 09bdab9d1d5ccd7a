package io.meshgate.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;

/**
 * Checks the signed tokens (JWTs) clients show to prove who they are: HS256 with a secret the server shares with the
 * game's backend, or RS256 / ES256 with the public key of the backend's private one. A token needs {@code sub} (the
 * user id) and {@code exp}; {@code nbf} and {@code iat} are checked when present, each with {@code leeway} for clocks
 * that disagree; {@code name}, when present, is the player's display name. Only the one configured algorithm is
 * accepted, whatever a token's header claims. Thread-safe.
 */
public final class Tokens {

    /** The longest user id a token may carry. */
    public static final int MAX_USER_ID = 128;
    /** The longest display name a token may carry, as a client's own name. */
    public static final int MAX_NAME = 32;

    /** Why a token is refused. */
    public enum Refusal {
        /** The connection showed no token. */
        MISSING,
        /** Not a JWT, a bad signature, another algorithm, no {@code sub} or {@code exp}, or a claim out of bounds. */
        INVALID,
        /** Past its {@code exp}. */
        EXPIRED,
        /** Before its {@code nbf} or {@code iat}. */
        NOT_YET_VALID
    }

    /** Who a valid token says the client is: its user id and display name ("" when the token has none). */
    public record Identity(String userId, String name) {
    }

    /** A token's verdict: an identity, or why it is refused. */
    public record Verdict(Identity identity, Refusal refusal) {
        static Verdict refused(Refusal refusal) {
            return new Verdict(null, refusal);
        }
    }

    private final JWTVerifier verifier;

    private Tokens(Algorithm algorithm, Duration leeway, String issuer, String audience) {
        Verification verification = JWT.require(algorithm).acceptLeeway(leeway.toSeconds());
        if (issuer != null) {
            verification.withIssuer(issuer);
        }
        if (audience != null) {
            verification.withAudience(audience);
        }
        this.verifier = verification.build();
    }

    /** HS256 tokens signed with {@code secret} (at least 32 bytes, as HS256 needs). */
    public static Tokens withSecret(byte[] secret, Duration leeway, String issuer, String audience) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes, got " + secret.length);
        }
        return new Tokens(Algorithm.HMAC256(secret), leeway, issuer, audience);
    }

    /** RS256 tokens for an RSA key, ES256 for an EC key on P-256. */
    public static Tokens withPublicKey(PublicKey key, Duration leeway, String issuer, String audience) {
        if (key instanceof RSAPublicKey rsa) {
            return new Tokens(Algorithm.RSA256(rsa, null), leeway, issuer, audience);
        }
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("ES256 needs an EC key on P-256");
            }
            return new Tokens(Algorithm.ECDSA256(ec, null), leeway, issuer, audience);
        }
        throw new IllegalArgumentException("the public key must be RSA (RS256) or EC P-256 (ES256), not "
                + key.getAlgorithm());
    }

    /** Checks {@code token} (null when the client showed none). */
    public Verdict check(String token) {
        if (token == null || token.isEmpty()) {
            return Verdict.refused(Refusal.MISSING);
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            return Verdict.refused(Refusal.EXPIRED);
        } catch (IncorrectClaimException e) {
            boolean early = "nbf".equals(e.getClaimName()) || "iat".equals(e.getClaimName());
            return Verdict.refused(early ? Refusal.NOT_YET_VALID : Refusal.INVALID);
        } catch (JWTVerificationException e) {
            return Verdict.refused(Refusal.INVALID);
        }
        String user = jwt.getSubject();
        if (jwt.getExpiresAtAsInstant() == null || user == null || user.isEmpty() || user.length() > MAX_USER_ID) {
            return Verdict.refused(Refusal.INVALID);
        }
        String name = jwt.getClaim("name").isMissing() || jwt.getClaim("name").isNull() ? ""
                : jwt.getClaim("name").asString();
        if (name == null || name.length() > MAX_NAME || name.codePoints().anyMatch(Character::isISOControl)) {
            return Verdict.refused(Refusal.INVALID); // not a string, or not a name a client could have given
        }
        return new Verdict(new Identity(user, name), null);
    }
}

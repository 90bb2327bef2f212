package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.ticketing.core.model.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtTokensTest {
    static final String SECRET = "test-secret-that-is-at-least-32-bytes";
    static final Algorithm HS256 = Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8));
    private final JwtTokens tokens = new JwtTokens(SECRET);

    @Test
    void issuedTokensVerifyToTheirUser() {
        assertEquals(Optional.of(User.buyer(7)), tokens.verify(tokens.issue(User.buyer(7), Duration.ofMinutes(5))));
        assertEquals(Optional.of(User.seller(3)), tokens.verify(tokens.issue(User.seller(3), Duration.ofMinutes(5))));
    }

    @Test
    void aHandMadeTokenWithTheContractClaimsIsAccepted() {
        String token = JWT.create().withSubject("42").withClaim("role", "seller")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(HS256);
        assertEquals(Optional.of(User.seller(42)), tokens.verify(token));
    }

    @Test
    void expiredTokenIsNoUser() {
        String token = JWT.create().withSubject("7").withClaim("role", "buyer")
                .withExpiresAt(Instant.now().minusSeconds(60)).sign(HS256);
        assertTrue(tokens.verify(token).isEmpty());
    }

    @Test
    void tokenWithoutExpiryIsNoUser() {
        assertTrue(tokens.verify(JWT.create().withSubject("7").withClaim("role", "buyer").sign(HS256)).isEmpty());
    }

    @Test
    void tokenSignedWithAnotherSecretIsNoUser() {
        String token = new JwtTokens("another-secret-that-is-32-bytes-long").issue(User.buyer(7), Duration.ofMinutes(5));
        assertTrue(tokens.verify(token).isEmpty());
    }

    @Test
    void unsignedTokenIsNoUser() {
        String token = JWT.create().withSubject("7").withClaim("role", "buyer")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.none());
        assertTrue(tokens.verify(token).isEmpty());
    }

    @Test
    void missingOrUnknownRoleIsNoUser() {
        Instant exp = Instant.now().plusSeconds(60);
        assertTrue(tokens.verify(JWT.create().withSubject("7").withExpiresAt(exp).sign(HS256)).isEmpty());
        assertTrue(tokens.verify(JWT.create().withSubject("7").withClaim("role", "admin").withExpiresAt(exp).sign(HS256)).isEmpty());
        assertTrue(tokens.verify(JWT.create().withSubject("7").withClaim("role", "BUYER").withExpiresAt(exp).sign(HS256)).isEmpty());
    }

    @Test
    void subjectMustBeAPositiveDecimalId() {
        Instant exp = Instant.now().plusSeconds(60);
        for (String subject : new String[] {"alice", "-7", "0", "07", "7.0", "99999999999999999999"}) {
            String token = JWT.create().withSubject(subject).withClaim("role", "buyer").withExpiresAt(exp).sign(HS256);
            assertTrue(tokens.verify(token).isEmpty(), subject);
        }
        assertTrue(tokens.verify(JWT.create().withClaim("role", "buyer").withExpiresAt(exp).sign(HS256)).isEmpty());
    }

    @Test
    void garbageIsNoUser() {
        assertTrue(tokens.verify("not-a-token").isEmpty());
        assertTrue(tokens.verify("").isEmpty());
    }

    @Test
    void aNumericSubjectIsNoUserForTheContractAsksForADecimalString() {
        String token = JWT.create().withClaim("sub", 7).withClaim("role", "buyer")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(HS256);
        assertTrue(tokens.verify(token).isEmpty());
    }

    @Test
    void aConfiguredIssuerAndAudienceMustMatch() {
        JwtTokens checked = new JwtTokens(SECRET, "https://auth.example", "ticketing");
        Instant exp = Instant.now().plusSeconds(60);
        String good = JWT.create().withIssuer("https://auth.example").withAudience("billing", "ticketing")
                .withSubject("7").withClaim("role", "buyer").withExpiresAt(exp).sign(HS256);
        assertEquals(Optional.of(User.buyer(7)), checked.verify(good));
        assertEquals(Optional.of(User.buyer(7)), tokens.verify(good), "without settings, iss and aud are not checked");
        for (String bad : new String[] {
                JWT.create().withIssuer("https://evil.example").withAudience("ticketing")
                        .withSubject("7").withClaim("role", "buyer").withExpiresAt(exp).sign(HS256),
                JWT.create().withAudience("ticketing").withSubject("7").withClaim("role", "buyer").withExpiresAt(exp)
                        .sign(HS256),
                JWT.create().withIssuer("https://auth.example").withAudience("billing")
                        .withSubject("7").withClaim("role", "buyer").withExpiresAt(exp).sign(HS256),
                JWT.create().withIssuer("https://auth.example").withSubject("7").withClaim("role", "buyer")
                        .withExpiresAt(exp).sign(HS256)}) {
            assertTrue(checked.verify(bad).isEmpty(), bad);
        }
        assertEquals(Optional.of(User.seller(3)), checked.verify(checked.issue(User.seller(3), Duration.ofMinutes(1))),
                "its own tokens (demo mode) carry the issuer and audience");
    }
}

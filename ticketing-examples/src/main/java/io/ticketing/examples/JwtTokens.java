package io.ticketing.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and verifies the example app's HS256 bearer tokens: {@code sub} is the user id as a decimal
 * string, {@code role} is {@code seller} or {@code buyer}, {@code exp} is required. Thread-safe.
 */
public final class JwtTokens {
    private static final Pattern DECIMAL_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Duration CLOCK_LEEWAY = Duration.ofSeconds(5);

    private final Algorithm algorithm;
    private final JWTVerifier verifier;

    public JwtTokens(String secret) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = JWT.require(algorithm)
                .withClaimPresence("sub")
                .withClaimPresence("role")
                .withClaimPresence("exp")
                .acceptLeeway(CLOCK_LEEWAY.toSeconds())
                .build();
    }

    /**
     * The user a token names, or empty when the token is malformed, not signed with this secret by HS256,
     * expired, or lacks a decimal {@code sub}, a {@code role} of {@code seller}/{@code buyer} or {@code exp}.
     */
    public Optional<User> verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
        String subject = jwt.getSubject();
        Role role = role(jwt.getClaim("role").asString());
        if (subject == null || !DECIMAL_ID.matcher(subject).matches() || role == null) {
            return Optional.empty();
        }
        return Optional.of(new User(Long.parseLong(subject), role));
    }

    /** A token for {@code user} that expires {@code lifetime} from now. */
    public String issue(User user, Duration lifetime) {
        Instant now = Instant.now();
        return JWT.create()
                .withSubject(Long.toString(user.id()))
                .withClaim("role", user.role().wireName())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(lifetime))
                .sign(algorithm);
    }

    /** {@code seller} or {@code buyer} as a role, anything else as {@code null}. */
    static Role role(String wireName) {
        for (Role role : Role.values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        return null;
    }
}

package io.ticketing.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and verifies the example app's HS256 bearer tokens: {@code sub} is the user id as a decimal
 * string (a JSON string, not a number), {@code role} is {@code seller} or {@code buyer}, {@code exp} is
 * required; {@code iss} and {@code aud} must match when an issuer or audience is configured. Thread-safe.
 */
public final class JwtTokens {
    private static final Pattern DECIMAL_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Duration CLOCK_LEEWAY = Duration.ofSeconds(5);

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final String issuer;
    private final String audience;

    /** Tokens of this secret, whatever their issuer and audience. */
    public JwtTokens(String secret) {
        this(secret, null, null);
    }

    /**
     * @param issuer   the {@code iss} every token must have, or null to accept any or none
     * @param audience a value the token's {@code aud} must contain, or null to accept any or none
     */
    public JwtTokens(String secret, String issuer, String audience) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.issuer = issuer;
        this.audience = audience;
        Verification verification = JWT.require(algorithm)
                .withClaimPresence("sub")
                .withClaimPresence("role")
                .withClaimPresence("exp")
                .acceptLeeway(CLOCK_LEEWAY.toSeconds());
        if (issuer != null) {
            verification.withIssuer(issuer);
        }
        if (audience != null) {
            verification.withAnyOfAudience(audience);
        }
        this.verifier = verification.build();
    }

    /**
     * The user a token names, or empty when the token is malformed, not signed with this secret by HS256,
     * expired, of another issuer or audience than configured, or lacks a decimal string {@code sub}, a
     * {@code role} of {@code seller}/{@code buyer} or {@code exp}.
     */
    public Optional<User> verify(String token) {
        return authenticate(token).map(Credential::user);
    }

    /** As {@link #verify}, with the token's {@code exp} as the credential's expiry. */
    public Optional<Credential> authenticate(String token) {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
        Claim subject = jwt.getClaim("sub");
        Role role = role(jwt.getClaim("role").asString());
        // asString() is null for a number: {"sub": 7} is not the decimal string the contract asks for
        String id = subject.asString();
        if (id == null || !DECIMAL_ID.matcher(id).matches() || role == null) {
            return Optional.empty();
        }
        return Optional.of(new Credential(new User(Long.parseLong(id), role), jwt.getExpiresAtAsInstant()));
    }

    /** A token for {@code user} that expires {@code lifetime} from now. */
    public String issue(User user, Duration lifetime) {
        Instant now = Instant.now();
        return JWT.create()
                .withIssuer(issuer)
                .withAudience(audience == null ? null : new String[] {audience})
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

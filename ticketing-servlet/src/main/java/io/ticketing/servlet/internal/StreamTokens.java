package io.ticketing.servlet.internal;

import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived stream tokens, for browsers whose {@code EventSource} cannot send an {@code Authorization}
 * header: {@code POST /stream-tokens} issues one for the caller's credential, a stream request presents it
 * as {@code ?streamToken=}. A token is {@code <payload>.<HMAC-SHA256 of payload>}, both base64url, the payload
 * {@code v1.<role>.<user id>.<token expiry>.<credential expiry or ->} in epoch milliseconds. It opens streams
 * for {@value #LIFETIME_SECONDS} s after it was issued; a stream opened with it still closes when the
 * credential it was issued for expires. Any node with the same secret accepts it. Thread-safe.
 */
public final class StreamTokens {
    static final long LIFETIME_SECONDS = 60;
    private static final Duration LIFETIME = Duration.ofSeconds(LIFETIME_SECONDS);
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public StreamTokens(byte[] secret) {
        this(secret, Clock.systemUTC());
    }

    StreamTokens(byte[] secret, Clock clock) {
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.clock = clock;
    }

    /** A token issued now for {@code credential}, and when it stops opening streams. */
    public Issued issue(Credential credential) {
        Instant expiresAt = clock.instant().plus(LIFETIME);
        String payload = "v1." + credential.user().role().wireName() + "." + credential.user().id() + "."
                + expiresAt.toEpochMilli() + "."
                + (credential.expiresAt() == null ? "-" : Long.toString(credential.expiresAt().toEpochMilli()));
        String encoded = ENCODER.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        return new Issued(encoded + "." + ENCODER.encodeToString(mac(encoded)), expiresAt);
    }

    /**
     * The credential a token was issued for, if the token is one of ours, unaltered, and issued less than
     * {@value #LIFETIME_SECONDS} s ago, and that credential has not expired; else empty.
     */
    public Optional<Credential> verify(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 512) {
            return Optional.empty();
        }
        String encoded = token.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(encoded), DECODER.decode(token.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(DECODER.decode(encoded), StandardCharsets.US_ASCII).split("\\.");
            if (parts.length != 5 || !"v1".equals(parts[0])) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Instant tokenExpiry = Instant.ofEpochMilli(Long.parseLong(parts[3]));
            Instant credentialExpiry = "-".equals(parts[4]) ? null : Instant.ofEpochMilli(Long.parseLong(parts[4]));
            if (!now.isBefore(tokenExpiry) || (credentialExpiry != null && !now.isBefore(credentialExpiry))) {
                return Optional.empty();
            }
            User user = new User(Long.parseLong(parts[2]), Role.valueOf(parts[1].toUpperCase(Locale.ROOT)));
            return Optional.of(new Credential(user, credentialExpiry));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64url, or not numbers: not a token of ours
        }
    }

    private byte[] mac(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** An issued token: the body of {@code POST /stream-tokens}. */
    public record Issued(String token, Instant expiresAt) {
    }
}

package io.ticketing.servlet;

import io.ticketing.core.model.User;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A caller as a {@link PrincipalResolver} authenticated it: the user, and when the credential that proved it
 * stops being valid. A stream opened with it is closed at {@code expiresAt}; the client reconnects with a
 * fresh credential.
 *
 * @param user      the caller; never null
 * @param expiresAt when the credential expires (a JWT's {@code exp}, a session's end), or null if it does not
 */
public record Credential(User user, @Nullable Instant expiresAt) {
    public Credential {
        Objects.requireNonNull(user, "user");
    }

    /** A credential that does not expire. */
    public static Credential lasting(User user) {
        return new Credential(user, null);
    }
}

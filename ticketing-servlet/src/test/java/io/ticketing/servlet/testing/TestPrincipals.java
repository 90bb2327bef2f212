package io.ticketing.servlet.testing;

import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.servlet.PrincipalResolver;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link PrincipalResolver} for tests: {@code Authorization: Bearer buyer:7} or {@code Bearer seller:3}
 * is that user; anything else is anonymous. {@code Bearer boom} throws, to provoke a 500.
 */
public final class TestPrincipals {
    private TestPrincipals() {
    }

    public static PrincipalResolver resolver() {
        return request -> {
            String header = request.getHeader("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                return Optional.empty();
            }
            String token = header.substring("Bearer ".length()).trim();
            if (token.equals("boom")) {
                throw new IllegalStateException("resolver failure provoked by a test");
            }
            return parse(token);
        };
    }

    /** The header value that {@link #resolver()} reads as {@code user}. */
    public static String bearer(User user) {
        return "Bearer " + user.role().wireName() + ":" + user.id();
    }

    private static Optional<User> parse(String token) {
        int colon = token.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            Role role = Role.valueOf(token.substring(0, colon).toUpperCase(Locale.ROOT));
            long id = Long.parseLong(token.substring(colon + 1));
            return id > 0 ? Optional.of(new User(id, role)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

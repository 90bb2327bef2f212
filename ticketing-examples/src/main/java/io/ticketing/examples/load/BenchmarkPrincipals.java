package io.ticketing.examples.load;

import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.servlet.PrincipalResolver;
import java.util.Locale;
import java.util.Optional;

/**
 * Benchmark-only identities: {@code Authorization: Bearer buyer:7} or {@code Bearer seller:1} is that
 * user, with no signature and no check at all. It keeps token verification out of the measurements;
 * never use it outside a benchmark.
 */
final class BenchmarkPrincipals {
    private BenchmarkPrincipals() {
    }

    static PrincipalResolver resolver() {
        return request -> {
            String header = request.getHeader("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                return Optional.empty();
            }
            String token = header.substring("Bearer ".length());
            int colon = token.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            try {
                Role role = Role.valueOf(token.substring(0, colon).toUpperCase(Locale.ROOT));
                return Optional.of(new User(Long.parseLong(token.substring(colon + 1)), role));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        };
    }

    /** The header value for {@code user}. */
    static String bearer(Role role, long id) {
        return "Bearer " + role.name().toLowerCase(Locale.ROOT) + ":" + id;
    }
}

package io.ticketing.servlet;

import io.ticketing.core.model.User;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Tells the servlets who is calling. The host application owns users and tokens; the library only needs
 * a {@link User} (id and role) or nothing.
 *
 * <p>Called once per request on the container's request thread, possibly from many threads at once, so
 * it must be thread-safe and should not block for long. A missing, expired or invalid credential is
 * simply "no user": return {@link Optional#empty()} and the servlets answer {@code 401 unauthorized} with
 * {@code WWW-Authenticate: Bearer} where a user is needed, and serve the request anonymously elsewhere.
 * An exception thrown from here is a bug of the resolver and is answered with {@code 500 internal}.
 */
@FunctionalInterface
public interface PrincipalResolver {

    /** The caller of {@code request}, or empty for an anonymous or unauthenticated one. Never null. */
    Optional<User> resolve(HttpServletRequest request);

    /** A resolver for which every caller is anonymous: a read-only API. */
    static PrincipalResolver anonymous() {
        return request -> Optional.empty();
    }
}

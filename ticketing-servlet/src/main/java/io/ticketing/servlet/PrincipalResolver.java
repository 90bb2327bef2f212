package io.ticketing.servlet;

import io.ticketing.core.model.User;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * The caller of {@code request} with the expiry of its credential, or empty for an anonymous or
     * unauthenticated one; streams use it so that a stream closes when its credential expires. Same threading
     * rules as {@link #resolve}. This default reports {@link #resolve}'s user with a credential that does not
     * expire; a resolver that knows expiries is best made with {@link #expiring}.
     */
    default Optional<Credential> authenticate(HttpServletRequest request) {
        return resolve(request).map(Credential::lasting);
    }

    /**
     * A resolver from a function that authenticates a request with its credential's expiry: its
     * {@link #resolve} is that credential's user.
     */
    static PrincipalResolver expiring(Function<HttpServletRequest, Optional<Credential>> authenticator) {
        Objects.requireNonNull(authenticator, "authenticator");
        return new PrincipalResolver() {
            @Override
            public Optional<User> resolve(HttpServletRequest request) {
                return authenticate(request).map(Credential::user);
            }

            @Override
            public Optional<Credential> authenticate(HttpServletRequest request) {
                return authenticator.apply(request);
            }
        };
    }

    /** A resolver for which every caller is anonymous: a read-only API. */
    static PrincipalResolver anonymous() {
        return request -> Optional.empty();
    }
}

package io.ticketing.examples;

import io.ticketing.core.model.User;
import io.ticketing.servlet.Credential;
import io.ticketing.servlet.PrincipalResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Finds the caller from an HS256 bearer token in the {@code Authorization: Bearer} header, with the token's
 * {@code exp} as the credential's expiry, so that a stream closes when its token expires. A missing or
 * invalid token is no user: the API then answers {@code 401} where a user is needed. Browsers open streams
 * that need a user with a short-lived token from {@code POST /stream-tokens}, never with the bearer token
 * in the URL.
 */
public final class BearerTokenResolver implements PrincipalResolver {
    private static final String BEARER = "Bearer ";

    private final JwtTokens tokens;

    public BearerTokenResolver(JwtTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<User> resolve(HttpServletRequest request) {
        return authenticate(request).map(Credential::user);
    }

    @Override
    public Optional<Credential> authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return tokens.authenticate(header.substring(BEARER.length()).strip());
    }
}

package io.ticketing.examples;

import io.ticketing.core.model.User;
import io.ticketing.servlet.PrincipalResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the caller from an HS256 bearer token. The token comes from the {@code Authorization: Bearer}
 * header; on {@code GET /events/{id}/stream} only, it may instead come from the {@code access_token} query
 * parameter, because a browser's {@code EventSource} cannot send headers (RFC 6750, section 2.3). A
 * missing or invalid token is no user: the API then answers {@code 401} where a user is needed.
 */
public final class BearerTokenResolver implements PrincipalResolver {
    static final String QUERY_PARAMETER = "access_token";
    private static final String BEARER = "Bearer ";
    private static final Pattern STREAM_PATH = Pattern.compile("/events/[^/]+/stream");

    private final JwtTokens tokens;

    public BearerTokenResolver(JwtTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<User> resolve(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null) {
            boolean bearer = header.regionMatches(true, 0, BEARER, 0, BEARER.length());
            return bearer ? tokens.verify(header.substring(BEARER.length()).strip()) : Optional.empty();
        }
        if (isStream(request)) {
            String token = request.getParameter(QUERY_PARAMETER);
            if (token != null) {
                return tokens.verify(token);
            }
        }
        return Optional.empty();
    }

    private static boolean isStream(HttpServletRequest request) {
        String path = request.getPathInfo();
        return "GET".equals(request.getMethod()) && path != null && STREAM_PATH.matcher(path).matches();
    }
}

package io.ticketing.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for browsers on other origins: which exact origins may call the API and read its
 * streams. With no origin allowed (the default) it adds nothing, and an {@code OPTIONS} request is a 405
 * like any unsupported method. Immutable and thread-safe.
 */
final class CorsPolicy {
    static final String ALLOWED_METHODS = "GET, POST, PATCH";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";
    static final String EXPOSED_HEADERS = "Location, Retry-After";
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final Set<String> origins;
    private final boolean credentials;

    private CorsPolicy(Set<String> origins, boolean credentials) {
        this.origins = origins;
        this.credentials = credentials;
    }

    /**
     * A policy for these origins, each {@code scheme://host[:port]} exactly as a browser sends it in
     * {@code Origin}, compared ignoring case.
     *
     * @throws IllegalArgumentException naming an origin that is not {@code scheme://host[:port]}
     */
    static CorsPolicy of(Set<String> origins, boolean credentials) {
        return new CorsPolicy(origins.stream().map(CorsPolicy::checkOrigin).collect(Collectors.toUnmodifiableSet()),
                credentials);
    }

    /**
     * Adds the CORS headers this request earns and answers a preflight: returns true if the response is
     * complete (a {@code 204} to an allowed preflight) and the request must not be served further.
     */
    boolean apply(HttpServletRequest request, HttpServletResponse response) {
        if (origins.isEmpty()) {
            return false;
        }
        response.addHeader("Vary", "Origin");
        String origin = request.getHeader("Origin");
        if (origin == null || !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        if (credentials) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", Long.toString(MAX_AGE.toSeconds()));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return false;
    }

    private static String checkOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getScheme() != null && uri.getHost() != null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return origin.toLowerCase(Locale.ROOT);
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new IllegalArgumentException("allowedOrigins must be scheme://host[:port] without a path, was " + origin);
    }
}

package io.ticketing.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

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
        String origin = request.getHeader("Origin");
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null
                && isAllowed(origin)) {
            response.addHeader("Vary", "Origin");
            response.setHeader("Access-Control-Allow-Origin", origin);
            if (credentials) {
                response.setHeader("Access-Control-Allow-Credentials", "true");
            }
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", Long.toString(MAX_AGE.toSeconds()));
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        responseHeaders(origin).forEach(response::addHeader);
        return false;
    }

    /**
     * The headers of an answer (not a preflight) to a request from {@code origin}: none if no origin is
     * allowed; else {@code Vary: Origin}, and for an allowed origin {@code Access-Control-Allow-Origin},
     * {@code Access-Control-Allow-Credentials} if credentials are allowed, {@code Access-Control-Expose-Headers}.
     */
    Map<String, String> responseHeaders(@Nullable String origin) {
        if (origins.isEmpty()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Origin");
        if (isAllowed(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            if (credentials) {
                headers.put("Access-Control-Allow-Credentials", "true");
            }
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        return Collections.unmodifiableMap(headers);
    }

    private boolean isAllowed(@Nullable String origin) {
        return origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
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

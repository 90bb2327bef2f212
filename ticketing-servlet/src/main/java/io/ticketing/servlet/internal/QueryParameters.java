package io.ticketing.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query string of a request, decoded by this library rather than the container, so that every
 * container answers alike: a bad percent-escape or bytes that are not UTF-8 are {@code 400 bad_request}
 * (Jetty would fail the request in {@code getParameter}, Tomcat would drop the parameter), and a parameter
 * given twice is {@code 400 validation_failed} naming it. Parsed before the {@code PrincipalResolver} runs,
 * so that a resolver may call {@code getParameter} safely.
 */
final class QueryParameters {
    private static final QueryParameters NONE = new QueryParameters(Map.of());

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /** Parses the request's query string; throws a 400 {@link ApiException} if it is not one this API reads. */
    static QueryParameters of(HttpServletRequest request) {
        String rawQuery = request.getQueryString();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return NONE; // most requests: nothing to parse or allocate
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (values.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1))) != null) {
                throw ApiException.validation(name, name + " must be given at most once");
            }
        }
        return new QueryParameters(values);
    }

    /** The decoded value of {@code name}, or null if absent. */
    String get(String name) {
        return values.get(name);
    }

    private static String decode(String text) {
        String bytes;
        try {
            // one char per byte, so that bytes that are not UTF-8 can be refused rather than replaced
            bytes = URLDecoder.decode(text, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the query string has a bad percent-escape");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the query string is not UTF-8");
        }
    }
}

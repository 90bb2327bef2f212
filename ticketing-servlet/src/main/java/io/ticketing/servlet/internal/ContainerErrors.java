package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.json.TicketingJson;

/**
 * The JSON error body for an error the servlet container found before any servlet ran: a bad
 * percent-escape or an ambiguous segment in the path, a malformed header or {@code Content-Length}, a
 * header or URI too large, an unknown HTTP version. The {@code code} follows from the status
 * ({@code bad_request}, {@code uri_too_long}, …); the message is the container's reason, never a stack
 * trace. Used by the Jetty and Tomcat error handlers of this library.
 */
public final class ContainerErrors {
    private static final int MAX_MESSAGE = 200;
    private static final ObjectWriter WRITER = TicketingJson.newObjectMapper().writerFor(JsonResponses.ErrorBody.class);

    private ContainerErrors() {
    }

    /** The body {@code {"error":{"status","code","message"}}} for {@code status} and the container's message. */
    public static byte[] body(int status, String message) {
        String text = message == null || message.isBlank() ? reason(status)
                : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
        try {
            return WRITER.writeValueAsBytes(new JsonResponses.ErrorBody(
                    new JsonResponses.ErrorDetail(status, code(status), text, null)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }

    /** The stable code of a status that a container answers on its own. */
    static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "header_fields_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    private static String reason(int status) {
        return switch (code(status)) {
            case "internal" -> "internal error";
            case "bad_request" -> "bad request";
            default -> code(status).replace('_', ' ');
        };
    }
}

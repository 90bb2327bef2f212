package io.ticketing.servlet.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON bodies and the error body {@code {"error":{"status","code","message","field"?}}}. Maps
 * {@link TicketingException} and {@link ApiException} to their status; anything else is a logged
 * {@code 500 internal} whose body says nothing about the cause.
 */
final class JsonResponses {
    private static final Logger log = LoggerFactory.getLogger(JsonResponses.class);
    static final String JSON = "application/json";

    /** A writer per body type, so that a response does not look its serializer up again. */
    private final ClassValue<ObjectWriter> writers;
    private final HttpLimits limits;

    JsonResponses(ObjectMapper mapper, HttpLimits limits) {
        this.writers = new ClassValue<>() {
            @Override
            protected ObjectWriter computeValue(Class<?> type) {
                return mapper.writerFor(type);
            }
        };
        this.limits = limits;
    }

    void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = writers.get(body.getClass()).writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Answers {@code failure} as a JSON error, unless the response is already committed. */
    void error(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException {
        ErrorDetail detail;
        if (failure instanceof ApiException e) {
            detail = new ErrorDetail(e.status(), e.code(), e.getMessage(), e.field());
            if (e.allow() != null) {
                response.setHeader("Allow", e.allow());
            }
        } else if (failure instanceof TicketingException e && e.code() != ErrorCode.INTERNAL) {
            detail = new ErrorDetail(e.code().httpStatus(), e.code().wireName(), e.getMessage(), e.field());
            if (e.code() == ErrorCode.UNAVAILABLE && e.getCause() != null) { // a backend failed
                log.warn("{} {} answered 503: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e);
            } else if (e.code() == ErrorCode.UNAVAILABLE) { // a limit, such as a full in-memory store: no trace per request
                log.debug("{} {} answered 503: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            }
        } else {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), failure);
            detail = new ErrorDetail(500, ErrorCode.INTERNAL.wireName(), "internal error", null);
        }
        if (response.isCommitted()) {
            log.warn("{} {} failed after the response was committed: {}", request.getMethod(),
                    request.getRequestURI(), detail.message());
            return;
        }
        response.resetBuffer();
        if (detail.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        if (detail.status() == 429 || detail.status() == 503) {
            response.setHeader("Retry-After", limits.retryAfterSeconds());
        }
        boolean unread = JsonBodies.leftUnread(request);
        if (unread) {
            // Refused before its body was read (413, 415, or any error found first): the connection cannot
            // reliably carry another request, so say so rather than let the client reuse it and fail its next
            // request when the container gives up on the unread bytes.
            response.setHeader("Connection", "close");
        }
        write(response, detail.status(), new ErrorBody(detail));
        if (unread) {
            JsonBodies.discardUnread(request, response); // so that the close does not reset a client still sending
        }
    }

    record ErrorBody(ErrorDetail error) {
    }

    record ErrorDetail(int status, String code, String message,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String field) {
    }
}

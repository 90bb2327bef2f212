package io.ticketing.core;

/**
 * Stable error codes, as they appear in the JSON error body ({@code "code": "seats_unavailable"}),
 * with the HTTP status the servlet layer answers with.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    MALFORMED_JSON(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    SEATS_UNAVAILABLE(409),
    RESERVATION_EXPIRED(409),
    CONFLICT(409),
    /** A sales rule of the event refuses it (a buyer's seat cap). */
    LIMIT_EXCEEDED(409),
    /** What was asked for is older than what the store still keeps (an event's change log). */
    HISTORY_EXPIRED(410),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    TOO_MANY_CONNECTIONS(429),
    /** A stream names more events and subsections than the server's configured cap per stream. */
    TOO_MANY_TOPICS(429),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int httpStatus;
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The snake_case code of the JSON error body. */
    public String wireName() {
        return wireName;
    }
}

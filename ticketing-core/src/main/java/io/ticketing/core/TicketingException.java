package io.ticketing.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why an operation was refused. When thrown, the operation changed nothing. {@link #field()} names the
 * offending input (such as {@code seatingConfig.rows}) for {@link ErrorCode#VALIDATION_FAILED}, else it
 * is null.
 */
public class TicketingException extends RuntimeException {
    private final ErrorCode code;
    private final @Nullable String field;

    public TicketingException(ErrorCode code, String message, @Nullable String field, @Nullable Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public TicketingException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public static TicketingException validation(String field, String message) {
        return new TicketingException(ErrorCode.VALIDATION_FAILED, message, field, null);
    }

    public static TicketingException notFound(String message) {
        return new TicketingException(ErrorCode.NOT_FOUND, message);
    }

    public static TicketingException conflict(String message) {
        return new TicketingException(ErrorCode.CONFLICT, message);
    }

    /** The store or pub/sub backend cannot be reached; retrying later may succeed. */
    public static TicketingException unavailable(String message, Throwable cause) {
        return new TicketingException(ErrorCode.UNAVAILABLE, message, null, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public @Nullable String field() {
        return field;
    }
}

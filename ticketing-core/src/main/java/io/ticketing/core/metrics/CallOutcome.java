package io.ticketing.core.metrics;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;

/** How a timed call ended. */
public enum CallOutcome {
    /** It returned. */
    OK,
    /** A rule said no: a {@link TicketingException} such as {@code seats_unavailable} or {@code not_found}. */
    REFUSED,
    /** The backend failed: {@code unavailable}, {@code internal} or any other exception. */
    ERROR;

    /** The outcome of a call that threw {@code failure}. */
    public static CallOutcome of(Throwable failure) {
        if (failure instanceof TicketingException e) {
            return e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.INTERNAL ? ERROR : REFUSED;
        }
        return ERROR;
    }

    /** The lower-case name used as a tag value ({@code ok}, {@code refused}, {@code error}). */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.ticketing.core.metrics;

import java.util.Locale;

/** The {@link io.ticketing.core.spi.TicketStore} call that a store latency belongs to. */
public enum StoreOperation {
    CREATE_EVENT,
    DELETE_EVENT,
    FIND_EVENT,
    LIST_EVENTS,
    STATISTICS,
    SUMMARIES,
    SEATS,
    SEAT_MAPS,
    UPDATE_EVENT,
    RESERVE,
    FIND_RESERVATION,
    LIST_RESERVATIONS,
    CONFIRM,
    CANCEL,
    EXPIRE_HOLDS,
    FORGET_ENDED,
    CHANGES,
    EPOCH;

    private final String tag = camelCase(name());

    /** The method's name, used as a tag value ({@code reserve}, {@code expireHolds}, …). */
    public String tag() {
        return tag;
    }

    private static String camelCase(String constant) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}

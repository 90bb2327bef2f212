package io.ticketing.servlet.internal;

/**
 * The {@code id:} of a stream's frames, {@code <version>-<epoch>}: the event's version and the store's
 * {@linkplain io.ticketing.core.spi.TicketStore#epoch epoch}, so that a server can tell an id of its own store
 * from one of a store that was reset or replaced. Immutable.
 */
final class StreamIds {
    /** Longest {@code Last-Event-ID} looked at; longer ones are no id this server sent. */
    private static final int MAX_LENGTH = 64;

    private final String epoch;
    private final String suffix;

    StreamIds(String epoch) {
        this.epoch = epoch;
        this.suffix = "-" + epoch;
    }

    /** The store's epoch, which every id ends with. */
    String epoch() {
        return epoch;
    }

    /** The id of {@code version}. */
    String of(long version) {
        return version + suffix;
    }

    /**
     * The version a client's {@code Last-Event-ID} names in this store: {@code <version>-<epoch>} with this
     * store's epoch, or a bare {@code <version>} (as servers before epochs sent); null if it is absent, not
     * of that form, negative, or of another epoch.
     */
    Long version(String lastEventId) {
        if (lastEventId == null || lastEventId.length() > MAX_LENGTH) {
            return null;
        }
        String text = lastEventId.trim();
        int dash = text.indexOf('-');
        if (dash >= 0 && !text.substring(dash + 1).equals(epoch)) {
            return null;
        }
        String digits = dash >= 0 ? text.substring(0, dash) : text;
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(digits);
    }
}

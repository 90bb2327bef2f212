package io.ticketing.servlet.internal;

import io.ticketing.core.model.SeatingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The query of {@code GET /stream?events=12,13&seats=12/A:1,13/B:2}, checked against the contract's bounds:
 * {@code 400 validation_failed} with field {@code events} for a missing, empty, malformed or repeated event id
 * or more than {@value #MAX_EVENTS}; with field {@code seats} for an item that is not
 * {@code event/section:subsection}, names an event not in {@code events}, a subsection the event does not have,
 * or one twice, or more than {@value SubsectionKey#MAX_PER_STREAM} items.
 */
final class EventsQuery {
    /** The most events one stream may carry. */
    static final int MAX_EVENTS = 50;

    private final List<Long> events;
    private final Map<Long, List<String>> seats;

    private EventsQuery(List<Long> events, Map<Long, List<String>> seats) {
        this.events = events;
        this.seats = seats;
    }

    /** Checks the syntax of {@code events} and {@code seats} (decoded values; {@code seats} may be null). */
    static EventsQuery parse(String events, String seats) {
        if (events == null || events.isEmpty()) {
            throw ApiException.validation("events", "events must list 1 to " + MAX_EVENTS
                    + " event ids, comma-separated (like events=12,13)");
        }
        String[] items = events.split(",", -1);
        if (items.length > MAX_EVENTS) {
            throw ApiException.validation("events", "events names " + items.length + " events; at most " + MAX_EVENTS
                    + " per stream");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String item : items) {
            long id = eventId(item);
            if (id < 1) {
                throw ApiException.validation("events", "each item of events must be an event id (a positive "
                        + "integer), not '" + item + "'");
            }
            if (!ids.add(id)) {
                throw ApiException.validation("events", "events names " + item + " more than once");
            }
        }
        return new EventsQuery(List.copyOf(ids), seatsByEvent(seats, ids));
    }

    private static Map<Long, List<String>> seatsByEvent(String seats, Set<Long> events) {
        Map<Long, List<String>> byEvent = new LinkedHashMap<>();
        if (seats == null) {
            return byEvent;
        }
        String[] items = seats.split(",", -1);
        if (items.length > SubsectionKey.MAX_PER_STREAM) {
            throw ApiException.validation("seats", "seats names " + items.length + " subsections; at most "
                    + SubsectionKey.MAX_PER_STREAM + " per stream");
        }
        for (String item : items) {
            int slash = item.indexOf('/');
            long id = slash < 0 ? -1 : eventId(item.substring(0, slash));
            if (id < 1) {
                throw ApiException.validation("seats", "each item of seats must be event/section:subsection "
                        + "(like 12/A:1), not '" + item + "'");
            }
            if (!events.contains(id)) {
                throw ApiException.validation("seats", "seats names event " + id + ", which events does not list");
            }
            byEvent.computeIfAbsent(id, k -> new ArrayList<>()).add(item.substring(slash + 1));
        }
        return byEvent;
    }

    /** The event id an item names, or -1 if it is not a positive decimal integer. */
    private static long eventId(String item) {
        if (item.isEmpty() || item.length() > 18 || !item.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(item);
    }

    /** The event ids, in the order named. */
    List<Long> events() {
        return events;
    }

    /**
     * The stream's events with the subsections named of each, checked against each event's seating ({@code 400}
     * with field {@code seats} for one it does not have, or one named twice).
     */
    List<StreamedEvent> resolve(LongFunction<SeatingConfig> seating) {
        List<StreamedEvent> resolved = new ArrayList<>(events.size());
        for (long id : events) {
            List<String> named = seats.get(id);
            List<SubsectionKey> keys = named == null ? List.of()
                    : SubsectionKey.parseAll(String.join(",", named), seating.apply(id));
            resolved.add(new StreamedEvent(id, keys));
        }
        return resolved;
    }
}

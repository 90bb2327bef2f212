package io.ticketing.core.model;

import java.util.List;

/** One page of an event list; {@code nextCursor} is null on the last page. */
public record EventPage(List<Event> items, String nextCursor) {
    public EventPage {
        items = List.copyOf(items);
    }
}

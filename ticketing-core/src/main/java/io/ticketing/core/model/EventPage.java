package io.ticketing.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of an event list; {@code nextCursor} is null on the last page. */
public record EventPage(List<Event> items, @Nullable String nextCursor) {
    public EventPage {
        items = List.copyOf(items);
    }
}

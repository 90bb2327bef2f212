package io.ticketing.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Changes of one event in version order, every one with a version greater than the {@code since} asked for;
 * {@code next} is the {@code since} of the following page, null when there are no more changes now.
 */
public record ChangePage(long eventId, List<LoggedChange> items, @Nullable Long next) {
    public ChangePage {
        items = List.copyOf(items);
    }
}

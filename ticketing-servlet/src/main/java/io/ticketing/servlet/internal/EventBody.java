package io.ticketing.servlet.internal;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import java.time.Instant;

/** The event body of the API: the event's fields, its sales {@code rules} and its {@code statistics}. */
record EventBody(long id, String name, String description, String venueName, long sellerId, EventStatus status,
                 boolean active, SeatingConfig seatingConfig, EventRules rules, Instant createdAt,
                 EventStatistics statistics) {

    static EventBody of(Event e, EventStatistics statistics) {
        return new EventBody(e.id(), e.name(), e.description(), e.venueName(), e.sellerId(), e.status(), e.active(),
                e.seatingConfig(), e.rules(), e.createdAt(), statistics);
    }
}

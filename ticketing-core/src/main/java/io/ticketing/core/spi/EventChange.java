package io.ticketing.core.spi;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import org.jspecify.annotations.Nullable;

/** An event after an update, with new statistics when its status changed (else null). */
public record EventChange(Event event, @Nullable EventStatistics statistics) {
}

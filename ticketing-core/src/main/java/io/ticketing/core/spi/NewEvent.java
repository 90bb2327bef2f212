package io.ticketing.core.spi;

import io.ticketing.core.model.EventDraft;
import java.time.Instant;

/** A validated event to be stored by {@link TicketStore#createEvent}. {@code draft.status()} is never null. */
public record NewEvent(EventDraft draft, long sellerId, Instant createdAt) {
}

package io.ticketing.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Which events {@link TicketStore#listEvents} returns, newest (highest id) first.
 *
 * @param sellerId   only this seller's events, or null for every seller
 * @param publicOnly only events that are {@code active} and {@code available}
 * @param beforeId   only events with a smaller id (paging); {@link Long#MAX_VALUE} for the first page
 * @param limit      at most this many
 */
public record EventQuery(@Nullable Long sellerId, boolean publicOnly, long beforeId, int limit) {
}

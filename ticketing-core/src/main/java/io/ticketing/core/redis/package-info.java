/**
 * Redis adapters: the pub/sub {@link io.ticketing.core.spi.StatisticsBroadcaster} for several nodes and the
 * Redis {@link io.ticketing.core.spi.TicketStore} for hot on-sales.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.redis;

import org.jspecify.annotations.NullMarked;

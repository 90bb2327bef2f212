/**
 * The defaults: an in-memory {@link io.ticketing.core.spi.TicketStore} and an in-process {@link
 * io.ticketing.core.spi.StatisticsBroadcaster}, for one node.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.memory;

import org.jspecify.annotations.NullMarked;

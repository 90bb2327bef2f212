/**
 * What a host may plug in: {@link io.ticketing.core.spi.TicketStore} (the system of record) and {@link
 * io.ticketing.core.spi.StatisticsBroadcaster} (statistics across nodes), the values they exchange, {@link
 * io.ticketing.core.spi.StoreRules} (the rules every store applies alike) and {@link
 * io.ticketing.core.spi.ForwardingTicketStore} and {@link io.ticketing.core.spi.ForwardingStatisticsBroadcaster}
 * (the bases of decorators). The contract test classes
 * {@code TicketStoreContract} and {@code StatisticsBroadcasterContract} in the test-jar state the SPI as
 * tests.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.spi;

import org.jspecify.annotations.NullMarked;

/**
 * The entry point {@link io.ticketing.core.Ticketing}, built by {@code Ticketing.builder()}, and the services
 * it hands out: events, reservations and live statistics. Every refusal is a {@link
 * io.ticketing.core.TicketingException} with an {@link io.ticketing.core.ErrorCode}.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core;

import org.jspecify.annotations.NullMarked;

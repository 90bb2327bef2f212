/**
 * The HTTP face of a {@code Ticketing}: {@link io.ticketing.servlet.TicketingHttp} builds the REST servlet and
 * the async SSE servlet a host mounts, and {@link io.ticketing.servlet.PrincipalResolver} tells them who calls.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.servlet;

import org.jspecify.annotations.NullMarked;

/**
 * The PostgreSQL {@link io.ticketing.core.spi.TicketStore} on a host's {@code DataSource}, with its schema
 * migrations.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.jdbc;

import org.jspecify.annotations.NullMarked;

/**
 * Building blocks for SPI implementations: {@link io.ticketing.core.spi.support.LocalFanout} hands a
 * broadcaster's snapshots to this node's listeners.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.spi.support;

import org.jspecify.annotations.NullMarked;

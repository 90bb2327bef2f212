/**
 * The metrics SPI: {@link io.ticketing.core.metrics.MetricsTrackerFactory} makes the
 * {@link io.ticketing.core.metrics.MetricsTracker} that the library reports to (modelled on HikariCP's
 * metrics trackers). The Micrometer binding lives in {@code io.ticketing.core.metrics.micrometer}.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.metrics;

import org.jspecify.annotations.NullMarked;

/**
 * The Micrometer binding of the metrics SPI,
 * {@link io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory}; needs
 * {@code io.micrometer:micrometer-core}, an optional dependency of this library.
 *
 * <p>Null-marked: no parameter, return value or record component is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.ticketing.core.metrics.micrometer;

import org.jspecify.annotations.NullMarked;

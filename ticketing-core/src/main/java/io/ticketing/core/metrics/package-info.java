/**
 * The metrics SPI: {@link io.ticketing.core.metrics.MetricsTrackerFactory} makes the
 * {@link io.ticketing.core.metrics.MetricsTracker} that the library reports to (modelled on HikariCP's
 * metrics trackers). The Micrometer binding lives in {@code io.ticketing.core.metrics.micrometer}.
 */
package io.ticketing.core.metrics;

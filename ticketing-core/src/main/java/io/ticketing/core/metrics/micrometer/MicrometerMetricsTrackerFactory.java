package io.ticketing.core.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.MetricsTrackerFactory;
import java.util.Objects;

/**
 * Records the library's measurements as Micrometer meters in one {@link MeterRegistry}; needs
 * {@code io.micrometer:micrometer-core} on the class path (an optional dependency of this library).
 * The meters, with their Prometheus names:
 *
 * <ul>
 *   <li>{@code ticketing.sse.streams} ({@code ticketing_sse_streams}) gauge: streams open now;</li>
 *   <li>{@code ticketing.sse.deliveries} ({@code ticketing_sse_deliveries_total}): updates taken by streams;</li>
 *   <li>{@code ticketing.sse.delivery.lag} ({@code ticketing_sse_delivery_lag_seconds}) histogram: from this node
 *       receiving a snapshot to a stream taking it, for a random sample of one delivery in
 *       {@link #lagSampling(int) lagSampling} (16 by default: recording a histogram costs more than the rest of
 *       the tracker's work on a delivery; its {@code _count} is therefore not the deliveries);</li>
 *   <li>{@code ticketing.sse.conflated} ({@code ticketing_sse_conflated_total}): updates skipped by slow streams;</li>
 *   <li>{@code ticketing.sse.slow.clients.dropped} ({@code ticketing_sse_slow_clients_dropped_total});</li>
 *   <li>{@code ticketing.reservations} ({@code ticketing_reservations_total}) by {@code outcome};</li>
 *   <li>{@code ticketing.store.latency} ({@code ticketing_store_latency_seconds}) histogram by {@code operation}
 *       and {@code outcome};</li>
 *   <li>{@code ticketing.broadcast.publish} ({@code ticketing_broadcast_publish_seconds}) histogram by
 *       {@code outcome}: handing a snapshot to the broadcaster;</li>
 *   <li>{@code ticketing.broadcast.relay} ({@code ticketing_broadcast_relay_seconds}) histogram by
 *       {@code outcome}: one round trip of a cross-node broadcaster (Redis);</li>
 *   <li>{@code ticketing.pubsub.reconnects} ({@code ticketing_pubsub_reconnects_total}).</li>
 * </ul>
 *
 * <pre>{@code
 * Ticketing ticketing = Ticketing.builder().metrics(new MicrometerMetricsTrackerFactory(registry)).build();
 * }</pre>
 */
public final class MicrometerMetricsTrackerFactory implements MetricsTrackerFactory {
    /** The default of {@link #lagSampling(int)}. */
    public static final int DEFAULT_LAG_SAMPLING = 16;

    private final MeterRegistry registry;
    private final Tags tags;
    private final int lagSampling;

    /** Meters in {@code registry}, without extra tags. */
    public MicrometerMetricsTrackerFactory(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Meters in {@code registry}, each with {@code tags} too (to tell several instances apart, say). */
    public MicrometerMetricsTrackerFactory(MeterRegistry registry, Iterable<Tag> tags) {
        this(Objects.requireNonNull(registry, "registry"), Tags.of(Objects.requireNonNull(tags, "tags")),
                DEFAULT_LAG_SAMPLING);
    }

    private MicrometerMetricsTrackerFactory(MeterRegistry registry, Tags tags, int lagSampling) {
        this.registry = registry;
        this.tags = tags;
        this.lagSampling = lagSampling;
    }

    /**
     * A factory like this one whose trackers record the delivery lag of one delivery in {@code oneIn},
     * picked at random: 1 (every delivery) to 1,024, default {@value #DEFAULT_LAG_SAMPLING}.
     *
     * @throws IllegalArgumentException if {@code oneIn} is out of range
     */
    public MicrometerMetricsTrackerFactory lagSampling(int oneIn) {
        if (oneIn < 1 || oneIn > 1024) {
            throw new IllegalArgumentException("lagSampling must be between 1 and 1024, was " + oneIn);
        }
        return new MicrometerMetricsTrackerFactory(registry, tags, oneIn);
    }

    /** Registers the meters; closing the tracker removes them from the registry. */
    @Override
    public MetricsTracker create() {
        return new MicrometerMetricsTracker(registry, tags, lagSampling);
    }
}

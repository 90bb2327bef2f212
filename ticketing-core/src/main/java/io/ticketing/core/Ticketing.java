package io.ticketing.core;

import io.ticketing.core.internal.MeteredTicketStore;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.MetricsTrackerFactory;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's entry point: one instance per application, built with {@link #builder()}, closed on
 * shutdown. Thread-safe. Owns one hold-expiry thread and, through the default broadcaster, a small
 * fan-out pool; {@link #close()} stops them and closes the store and the broadcaster.
 *
 * <pre>{@code
 * try (Ticketing ticketing = Ticketing.builder().holdDuration(Duration.ofMinutes(5)).build()) {
 *     Event gala = ticketing.events().create(User.seller(3), draft);
 *     ticketing.reservations().reserve(gala.id(), ReservationRequest.bestAvailable("A", 1, 2), null, User.buyer(7));
 * }
 * }</pre>
 */
public final class Ticketing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ticketing.class);

    private final TicketStore store;
    private final StatisticsBroadcaster broadcaster;
    private final MetricsTracker metrics;
    private final EventService events;
    private final ReservationService reservations;
    private final StatisticsService statistics;
    private final HoldExpirySweeper sweeper;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ticketing(Builder b) {
        TicketStore chosen = b.store != null ? b.store : new InMemoryTicketStore();
        this.metrics = b.metrics != null ? Objects.requireNonNull(b.metrics.create(), "MetricsTrackerFactory.create()")
                : MetricsTracker.none();
        // without metrics nothing is wrapped, so the default costs nothing
        this.store = b.metrics != null ? new MeteredTicketStore(chosen, metrics) : chosen;
        this.broadcaster = b.broadcaster != null ? b.broadcaster : new InProcessBroadcaster();
        StatisticsPublisher publisher = new StatisticsPublisher(broadcaster, metrics);
        this.events = new EventService(store, publisher, b.clock);
        this.reservations = new ReservationService(store, events, publisher, b.clock, b.holdDuration,
                b.expiryBatchSize, metrics);
        this.statistics = new StatisticsService(store, events, broadcaster);
        broadcaster.start(store::statistics, metrics);
        this.sweeper = new HoldExpirySweeper(reservations, b.expirySweepInterval);
        log.info("Ticketing started: store {}, broadcaster {}, holds last {}, metrics {}",
                chosen.getClass().getSimpleName(), broadcaster.getClass().getSimpleName(), b.holdDuration,
                b.metrics != null ? metrics.getClass().getSimpleName() : "off");
    }

    public static Builder builder() {
        return new Builder();
    }

    public EventService events() {
        return events;
    }

    public ReservationService reservations() {
        return reservations;
    }

    public StatisticsService statistics() {
        return statistics;
    }

    /**
     * The tracker this instance reports to ({@link MetricsTracker#none()} unless
     * {@link Builder#metrics} was set); the HTTP layer reports its streams to it too.
     */
    public MetricsTracker metrics() {
        return metrics;
    }

    /** Whether the store answers now. */
    public boolean isStoreHealthy() {
        return store.isHealthy();
    }

    /** Whether cross-node statistics delivery works now. */
    public boolean isBroadcasterHealthy() {
        return broadcaster.isHealthy();
    }

    /** Stops hold expiry, then closes the broadcaster, the store and the metrics tracker. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeper.close();
        try {
            broadcaster.close();
        } finally {
            try {
                store.close();
            } finally {
                metrics.close();
            }
        }
    }

    /**
     * Settings, each with a default that works: in-memory store, in-process broadcaster, 10-minute holds.
     * {@link #build()} checks them all and names the first one that is out of range.
     */
    public static final class Builder {
        public static final Duration DEFAULT_HOLD_DURATION = Duration.ofMinutes(10);
        public static final Duration DEFAULT_EXPIRY_SWEEP_INTERVAL = Duration.ofSeconds(1);
        public static final int DEFAULT_EXPIRY_BATCH_SIZE = 500;

        private TicketStore store;
        private StatisticsBroadcaster broadcaster;
        private MetricsTrackerFactory metrics;
        private Duration holdDuration = DEFAULT_HOLD_DURATION;
        private Duration expirySweepInterval = DEFAULT_EXPIRY_SWEEP_INTERVAL;
        private int expiryBatchSize = DEFAULT_EXPIRY_BATCH_SIZE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where events, seats and reservations live. Default: a new {@link InMemoryTicketStore}. */
        public Builder store(TicketStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How statistics reach subscribers. Default: a new {@link InProcessBroadcaster}. */
        public Builder broadcaster(StatisticsBroadcaster broadcaster) {
            this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
            return this;
        }

        /**
         * Where measurements go: store latencies, reservations by outcome, publishing, pub/sub reconnects and
         * (through {@code TicketingHttp}) streams and deliveries. {@link #build()} calls the factory once and
         * {@link Ticketing#close()} closes the tracker. Default: none, at no cost (the store is not wrapped).
         */
        public Builder metrics(MetricsTrackerFactory metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** How long a hold lasts before its seats are released: 1 s to 24 h, default 10 minutes. */
        public Builder holdDuration(Duration holdDuration) {
            this.holdDuration = Objects.requireNonNull(holdDuration, "holdDuration");
            return this;
        }

        /** How often lapsed holds are looked for: 10 ms to 1 minute, default 1 s. */
        public Builder expirySweepInterval(Duration interval) {
            this.expirySweepInterval = Objects.requireNonNull(interval, "expirySweepInterval");
            return this;
        }

        /** How many holds one store call expires at most: 1 to 10,000, default 500. */
        public Builder expiryBatchSize(int expiryBatchSize) {
            this.expiryBatchSize = expiryBatchSize;
            return this;
        }

        /** The time source for holds and timestamps. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range and what is allowed */
        public Ticketing build() {
            check("holdDuration", holdDuration, Duration.ofSeconds(1), Duration.ofHours(24));
            check("expirySweepInterval", expirySweepInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
            if (expiryBatchSize < 1 || expiryBatchSize > 10_000) {
                throw new IllegalArgumentException("expiryBatchSize must be between 1 and 10000, was " + expiryBatchSize);
            }
            return new Ticketing(this);
        }

        private static void check(String name, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }
    }
}

package io.ticketing.core.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.ticketing.core.metrics.CallOutcome;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.ReservationOutcome;
import io.ticketing.core.metrics.StoreOperation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Micrometer tracker; see {@link MicrometerMetricsTrackerFactory} for its meters. Every meter is
 * resolved once (the store timers on first use, in an array indexed by operation and outcome), so a call
 * costs an add to a {@link LongAdder} or one timer record: no lookup, no allocation. The delivery lag, on the
 * fan-out's per-stream path, is recorded for a random sample of deliveries: a timer record (a histogram
 * bucket, a running maximum, shared by every writer thread) costs several times the rest.
 */
final class MicrometerMetricsTracker implements MetricsTracker {
    private static final Duration[] STORE_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000);
    private static final Duration[] LAG_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);

    private final MeterRegistry registry;
    private final Tags tags;
    private final Queue<Meter> meters = new ConcurrentLinkedQueue<>();
    private final LongAdder open = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder conflated = new LongAdder();
    private final LongAdder slowClientsDropped = new LongAdder();
    private final int lagSampling;
    private final Timer lag;
    private final Counter reconnects;
    private final Counter[] reservations;
    private final Timer[] published;
    private final Timer[] relayed;
    private final AtomicReferenceArray<Timer> storeTimers =
            new AtomicReferenceArray<>(StoreOperation.values().length * CallOutcome.values().length);

    MicrometerMetricsTracker(MeterRegistry registry, Tags tags, int lagSampling) {
        this.registry = registry;
        this.tags = tags;
        this.lagSampling = lagSampling;
        add(Gauge.builder("ticketing.sse.streams", open, LongAdder::sum).tags(tags)
                .description("SSE streams open now").register(registry));
        add(FunctionCounter.builder("ticketing.sse.deliveries", deliveries, LongAdder::sum).tags(tags)
                .description("Updates taken by streams to write (first snapshots not counted)").register(registry));
        add(FunctionCounter.builder("ticketing.sse.conflated", conflated, LongAdder::sum).tags(tags)
                .description("Updates a slow stream skipped because it had not written the one before").register(registry));
        add(FunctionCounter.builder("ticketing.sse.slow.clients.dropped", slowClientsDropped, LongAdder::sum).tags(tags)
                .description("Streams closed because the client stopped reading").register(registry));
        this.lag = add(Timer.builder("ticketing.sse.delivery.lag").tags(tags).serviceLevelObjectives(LAG_BUCKETS)
                .description("From this node receiving a snapshot to a stream taking it, pacing included; "
                        + "one delivery in " + lagSampling + ", at random")
                .register(registry));
        this.reconnects = add(Counter.builder("ticketing.pubsub.reconnects").tags(tags)
                .description("Pub/sub subscriptions renewed after a lost connection").register(registry));
        ReservationOutcome[] outcomes = ReservationOutcome.values();
        this.reservations = new Counter[outcomes.length];
        for (ReservationOutcome o : outcomes) {
            reservations[o.ordinal()] = add(Counter.builder("ticketing.reservations").tags(tags).tag("outcome", o.tag())
                    .description("Reservation requests and holds by outcome").register(registry));
        }
        this.published = timers("ticketing.broadcast.publish", "Handing a snapshot to the broadcaster");
        this.relayed = timers("ticketing.broadcast.relay", "Round trips of a cross-node broadcaster");
    }

    @Override
    public void storeCall(StoreOperation operation, CallOutcome outcome, long nanos) {
        int index = operation.ordinal() * CallOutcome.values().length + outcome.ordinal();
        Timer timer = storeTimers.get(index);
        if (timer == null) {
            timer = add(Timer.builder("ticketing.store.latency").tags(tags)
                    .tag("operation", operation.tag()).tag("outcome", outcome.tag())
                    .serviceLevelObjectives(STORE_BUCKETS)
                    .description("Latency of ticket store calls").register(registry));
            storeTimers.set(index, timer); // a racing thread registers the same meter: the registry dedupes
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void reservation(ReservationOutcome outcome) {
        reservations[outcome.ordinal()].increment();
    }

    @Override
    public void published(CallOutcome outcome, long nanos) {
        published[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void relayed(CallOutcome outcome, int snapshots, long nanos) {
        relayed[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void pubSubReconnected() {
        reconnects.increment();
    }

    @Override
    public void streamOpened() {
        open.increment();
    }

    @Override
    public void streamClosed() {
        open.decrement();
    }

    @Override
    public void delivered(long lagNanos) {
        deliveries.increment();
        if (lagSampling == 1 || ThreadLocalRandom.current().nextInt(lagSampling) == 0) {
            lag.record(lagNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void conflated() {
        conflated.increment();
    }

    @Override
    public void slowClientDropped() {
        slowClientsDropped.increment();
    }

    /** Removes every meter it registered. */
    @Override
    public void close() {
        Meter meter;
        while ((meter = meters.poll()) != null) {
            registry.remove(meter);
        }
    }

    /** Timers tagged {@code ok} and {@code error}, indexed by outcome; a handoff is never refused. */
    private Timer[] timers(String name, String description) {
        Timer[] timers = new Timer[CallOutcome.values().length];
        for (CallOutcome o : List.of(CallOutcome.OK, CallOutcome.ERROR)) {
            timers[o.ordinal()] = add(Timer.builder(name).tags(tags).tag("outcome", o.tag())
                    .serviceLevelObjectives(STORE_BUCKETS).description(description).register(registry));
        }
        timers[CallOutcome.REFUSED.ordinal()] = timers[CallOutcome.ERROR.ordinal()];
        return timers;
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    private static Duration[] millis(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }

    @Override
    public String toString() {
        return "Micrometer metrics in " + registry.getClass().getSimpleName();
    }
}

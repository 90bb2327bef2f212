package io.ticketing.examples.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's speed targets, in-memory store and in-process broadcaster (see docs/benchmarks.md):
 * single-seat reserve + cancel on one hot event with a subscriber attached (and a cap per buyer with
 * {@code -p maxSeatsPerBuyer=1000}, and with metrics with {@code -p metrics=micrometer}); best-available
 * pair reserve + cancel on that event and in a
 * 1,000 × 1,000 subsection whose front {@code soldRows} rows are sold; creating a 1,000,000-seat event;
 * reading the statistics snapshot of a 20-subsection event.
 *
 * <pre>java -cp ticketing-examples/target/ticketing-example.jar org.openjdk.jmh.Main CoreBenchmark</pre>
 */
// The heap is touched up front: on this project's virtual machine a first touch of a page costs a fault that
// perf put at a third of the run's time whenever young collections moved into memory not used before.
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CoreBenchmark {
    private static final User SELLER = User.seller(1);

    /**
     * One hot event shared by every benchmark thread, with one subscriber counting deliveries (none with
     * {@code -p subscriber=no}).
     */
    @State(Scope.Benchmark)
    public static class HotEvent {
        /** The event's cap of seats per buyer: {@code none}, or 1..1000 (never reached here). */
        @Param("none")
        String maxSeatsPerBuyer;
        /** {@code none}, or {@code micrometer}: the store wrapped and every call timed into a Prometheus registry. */
        @Param("none")
        String metrics;
        /** {@code yes}: one subscriber counts deliveries; {@code no}: none, to split the fan-out's cost off. */
        @Param("yes")
        String subscriber;
        Ticketing ticketing;
        long eventId;
        Subscription subscription;
        final LongAdder delivered = new LongAdder();
        final AtomicInteger nextThread = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            // A trial cancels up to about 20,000,000 reservations, faster than the store forgets them.
            Ticketing.Builder builder = Ticketing.builder()
                    .store(InMemoryTicketStore.builder().maxReservations(40_000_000).build());
            if (metrics.equals("micrometer")) {
                builder.metrics(new MicrometerMetricsTrackerFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
            }
            ticketing = builder.build();
            EventRules rules = maxSeatsPerBuyer.equals("none") ? EventRules.NONE
                    : new EventRules(Integer.parseInt(maxSeatsPerBuyer));
            eventId = ticketing.events().create(SELLER, new EventDraft("hot", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(10, 10, List.of(new Section("A", 1000, 1))), rules)).id();
            subscription = subscriber.equals("yes")
                    ? ticketing.statistics().subscribe(eventId, s -> delivered.increment()) : () -> { };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%n(subscriber received %,d snapshots)%n", delivered.sum());
            subscription.close();
            ticketing.close();
        }
    }

    /** Each thread has its own seat and buyer, so every reserve succeeds and the race is on the event lock. */
    @State(Scope.Thread)
    public static class Buyer {
        User buyer;
        ReservationRequest oneSeat;
        final ReservationRequest bestPair = ReservationRequest.bestAvailable("A", 1, 2);

        @Setup(Level.Trial)
        public void setUp(HotEvent hot) {
            int n = hot.nextThread.incrementAndGet();
            buyer = User.buyer(1000 + n);
            oneSeat = ReservationRequest.seats(new SeatRef("A", 1, 1 + n / 10, 1 + n % 10));
        }
    }

    /** One operation = reserve one seat, then cancel that reservation: two changes, two snapshots published. */
    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String reserveThenCancelOneSeat(HotEvent hot, Buyer b) {
        return reserveThenCancel(hot, b, b.oneSeat);
    }

    /**
     * One operation = reserve the best two adjacent seats, then cancel them. Each thread takes its pair from
     * the same 10 × 10 subsection, so the pick is ranked over rows the other thread has partly taken.
     */
    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String reserveBestPairThenCancel(HotEvent hot, Buyer b) {
        return reserveThenCancel(hot, b, b.bestPair);
    }

    private static String reserveThenCancel(HotEvent hot, Buyer b, ReservationRequest request) {
        String id = hot.ticketing.reservations().reserve(hot.eventId, request, null, b.buyer).reservation().id();
        return hot.ticketing.reservations().cancel(id, b.buyer).id();
    }

    /** A store with one event, set up by a subclass, closed after the trial. */
    public abstract static class OneEvent {
        Ticketing ticketing;
        long eventId;

        @TearDown(Level.Trial)
        public void tearDown() {
            ticketing.close();
        }
    }

    /** A 1,000 × 1,000 subsection whose first {@code soldRows} rows are sold, seat by seat. */
    @State(Scope.Benchmark)
    public static class Stadium extends OneEvent {
        @Param({"0", "500", "999"})
        int soldRows;

        @Setup(Level.Trial)
        public void setUp() {
            ticketing = Ticketing.builder().build();
            eventId = ticketing.events().create(SELLER, new EventDraft("stadium", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(1000, 1000, List.of(new Section("A", 1000, 1))))).id();
            User buyer = User.buyer(2);
            for (int row = 1; row <= soldRows; row++) {
                for (int first = 1; first <= 1000; first += 50) {
                    List<SeatRef> seats = new ArrayList<>(50);
                    for (int seat = first; seat < first + 50; seat++) {
                        seats.add(new SeatRef("A", 1, row, seat));
                    }
                    String id = ticketing.reservations().reserve(eventId, ReservationRequest.seats(seats), null, buyer)
                            .reservation().id();
                    ticketing.reservations().confirm(id, null, buyer);
                }
            }
        }
    }

    /**
     * One operation = reserve the best four seats in the stadium, then cancel them: the cost of finding the
     * row does not grow with {@code soldRows}.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String reserveBestFourInStadiumThenCancel(Stadium stadium) {
        User buyer = User.buyer(3);
        String id = stadium.ticketing.reservations().reserve(stadium.eventId,
                ReservationRequest.bestAvailable("A", 1, 4), null, buyer).reservation().id();
        return stadium.ticketing.reservations().cancel(id, buyer).id();
    }

    /** A fresh in-memory store for each iteration so that created events do not pile up. */
    @State(Scope.Benchmark)
    public static class EmptyStore {
        Ticketing ticketing;
        final EventDraft millionSeats = new EventDraft("stadium", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(1000, 1000, List.of(new Section("A", 1000, 1))));

        @Setup(Level.Iteration)
        public void setUp() {
            ticketing = Ticketing.builder().build();
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            ticketing.close();
        }
    }

    /** Single-shot: each iteration creates one event in a fresh store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 10, batchSize = 1)
    @Measurement(iterations = 20, batchSize = 1)
    public Event createMillionSeatEvent(EmptyStore store) {
        return store.ticketing.events().create(SELLER, store.millionSeats);
    }

    /** An event of 20 sections × 1 subsection, with some seats taken. */
    @State(Scope.Benchmark)
    public static class TwentySubsections extends OneEvent {

        @Setup(Level.Trial)
        public void setUp() {
            ticketing = Ticketing.builder().build();
            List<Section> sections = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sections.add(new Section("S" + i, 100L * i, 1));
            }
            eventId = ticketing.events().create(SELLER, new EventDraft("twenty", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(20, 20, sections))).id();
            for (int i = 0; i < 20; i++) {
                ticketing.reservations().reserve(eventId, ReservationRequest.bestAvailable("S" + i, 1, 1 + i % 5),
                        null, User.buyer(7));
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public EventStatistics statisticsSnapshotOf20Subsections(TwentySubsections event) {
        return event.ticketing.statistics().current(event.eventId, null);
    }
}

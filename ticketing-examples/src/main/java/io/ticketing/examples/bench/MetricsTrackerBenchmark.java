package io.ticketing.examples.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketing.core.metrics.MetricsTracker;
import io.ticketing.core.metrics.micrometer.MicrometerMetricsTrackerFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * What the metrics tracker adds to one SSE delivery, the fan-out's per-stream call: {@code delivered(lag)}
 * with no tracker and with the Micrometer one over a Prometheus registry, from two writer threads at once
 * (see docs/benchmarks.md, "Issue 19: metrics on the fan-out path").
 *
 * <pre>java -cp ticketing-examples/target/ticketing-example.jar org.openjdk.jmh.Main MetricsTrackerBenchmark</pre>
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class MetricsTrackerBenchmark {

    @State(Scope.Benchmark)
    public static class Tracker {
        @Param({"none", "micrometer"})
        String tracker;
        MetricsTracker metrics;

        @Setup(Level.Trial)
        public void setUp() {
            metrics = tracker.equals("none") ? MetricsTracker.none()
                    : new MicrometerMetricsTrackerFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).create();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            metrics.close();
        }
    }

    /** A delivery with a lag between 1 and 100 ms, as the writer threads report it. */
    @Benchmark
    public void delivered(Tracker state) {
        state.metrics.delivered(ThreadLocalRandom.current().nextLong(1_000_000, 100_000_000));
    }

    /** A skipped update of a slow stream. */
    @Benchmark
    public void conflated(Tracker state) {
        state.metrics.conflated();
    }
}

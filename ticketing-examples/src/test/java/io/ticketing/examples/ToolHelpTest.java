package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.examples.bench.MultiEventStreamBenchmark;
import io.ticketing.examples.bench.MultiNodeLatencyBenchmark;
import io.ticketing.examples.bench.PostgresReservationBenchmark;
import io.ticketing.examples.bench.RedisStoreBenchmark;
import io.ticketing.examples.bench.ResumeStormBenchmark;
import io.ticketing.examples.load.BenchmarkServer;
import io.ticketing.examples.load.LoadGenerator;
import io.ticketing.examples.load.SoakClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every tool answers {@code --help} with its usage text, naming each of its flags, and starts nothing. */
class ToolHelpTest {

    @FunctionalInterface
    private interface Main {
        void run(String[] args) throws Exception;
    }

    @Test
    void everyToolPrintsItsFlagsOnHelp() throws Exception {
        assertHelp(BenchmarkServer::main, "--port", "--max-streams", "--heartbeat-seconds", "--min-update-interval-ms",
                "--writer-threads", "--busy-event-update-interval-ms", "--busy-event-changes-per-second",
                "--hold-seconds", "--ended-retention-s", "--confirmed-retention-s", "--key-retention-s");
        assertHelp(LoadGenerator::main, "--url", "--scenario", "--streams", "--duration-s", "--concurrency",
                "--warmup-s", "--rounds");
        assertHelp(SoakClient::main, "--url", "--duration-s", "--buyers", "--streams", "--churn-s", "--sample-s",
                "--no-expiry");
        assertHelp(MultiEventStreamBenchmark::main, "connections=", "events=", "perStream=", "variants=", "rounds=",
                "warmupS=", "measureS=", "perAddress=", "readers=", "javaOpts=", "seed=");
        assertHelp(MultiNodeLatencyBenchmark::main, "--subscribers", "--interval-ms", "--changes", "--warmup",
                "--jdbc-url", "--jdbc-user", "--redis-url");
        assertHelp(PostgresReservationBenchmark::main, "url=", "user=", "password=", "threads=", "seconds=",
                "warmup=", "api=", "pool=", "cap=");
        assertHelp(RedisStoreBenchmark::main, "url=", "threads=", "seconds=", "warmup=", "parts=");
        assertHelp(ResumeStormBenchmark::main, "clients=", "missed=", "port=", "perAddress=", "url=", "user=", "redis=");
    }

    private static void assertHelp(Main main, String... flags) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[] {"--help"});
        } finally {
            System.setOut(out);
        }
        String usage = captured.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: "), usage);
        for (String flag : List.of(flags)) {
            assertTrue(usage.contains(flag), () -> "usage lacks " + flag + ":\n" + usage);
        }
    }
}

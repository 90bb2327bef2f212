package io.ticketing.examples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark tools end to end, as {@code docs/benchmarks.md} runs them: a {@link BenchmarkServer} process
 * and the {@link LoadGenerator} in another, every scenario at a small scale. Checks what each report
 * states, not how fast: speed is for the benchmarks.
 */
class LoadToolsIT {
    private static final Pattern READY = Pattern.compile("ready on (http://127\\.0\\.0\\.1:\\d+)/api");
    private static Process server;
    private static String url;

    @BeforeAll
    static void startServer() throws Exception {
        server = java(BenchmarkServer.class, "--port", "0", "--max-streams", "200").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                url = ready.group(1);
                break;
            }
        }
        assertTrue(url != null, "the server never said it was ready: " + lines);
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException closed) {
                // the server stopped: nothing more to drain
            }
        }, "benchmark-server-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void idleReportsTheStreamsAndTheServersMemoryPerStream() throws Exception {
        String report = generate("--scenario", "idle", "--streams", "20", "--duration-s", "1");
        assertTrue(report.contains("opened 20 streams in"), report);
        assertTrue(report.contains("(0 failed)"), report);
        // at least: the streams of other tests' generators, which have exited, go at the server's next heartbeat
        assertTrue(number(report, "server reports (\\d+) connections") >= 20, report);
        assertTrue(report.matches("(?s).*KB per stream.*"), report);
    }

    @Test
    void flatEndsEverySubscriberOnTheFinalStatistics() throws Exception {
        String report = generate("--scenario", "flat", "--streams", "20", "--concurrency", "4", "--duration-s", "1",
                "--warmup-s", "1");
        assertTrue(report.matches("(?s).*reservations: 4 loops for [0-9.]+ s: \\d+ accepted \\(\\d+/s\\), 0 rejected \\(409\\), 0 errors.*"), report);
        assertTrue(report.contains("20 of 20 subscribers' last snapshot equals it"), report);
    }

    @Test
    void compareAlternatesTheTrivialEndpointAndReservationsOnOneServer() throws Exception {
        String report = generate("--scenario", "compare", "--streams", "20", "--concurrency", "4", "--duration-s", "1",
                "--warmup-s", "1", "--rounds", "2");
        assertEquals(3, count(report, "noop: 4 loops for"), report);
        assertEquals(2, count(report, "reservations: 4 loops for"), report);
        assertEquals(2, count(report, "20 of 20 subscribers' last snapshot equals it"), report);
        assertTrue(report.matches("(?s).*round 1: \\d+ reservations/s against \\d+ and \\d+ noop/s: [0-9.]+ %.*"), report);
        assertTrue(report.matches("(?s).*round 2: .*"), report);
        assertTrue(report.matches("(?s).*share of noop/s on the same server: median [0-9.]+ % over 2 rounds.*"), report);
        assertTrue(number(report, "accepted \\((\\d+)/s\\), 0 rejected") > 0, report);
    }

    @Test
    void refusesANonLoopbackTarget() throws Exception {
        Process generator = java(LoadGenerator.class, "--url", "http://192.0.2.1:80", "--scenario", "idle").start();
        String output = new String(generator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(generator.waitFor(60, TimeUnit.SECONDS));
        assertTrue(generator.exitValue() != 0, output);
        assertTrue(output.contains("--url must be a loopback address"), output);
    }

    private static String generate(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        Process generator = java(LoadGenerator.class, all.toArray(String[]::new)).start();
        String report;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(generator.getInputStream(), StandardCharsets.UTF_8))) {
            report = out.lines().collect(Collectors.joining("\n"));
        }
        assertTrue(generator.waitFor(120, TimeUnit.SECONDS), "the load generator did not end");
        assertEquals(0, generator.exitValue(), report);
        return report;
    }

    private static ProcessBuilder java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static long number(String report, String regex) {
        Matcher m = Pattern.compile(regex).matcher(report);
        assertTrue(m.find(), regex + " in " + report);
        return Long.parseLong(m.group(1));
    }

    private static int count(String report, String text) {
        int n = 0;
        for (int at = report.indexOf(text); at >= 0; at = report.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }
}

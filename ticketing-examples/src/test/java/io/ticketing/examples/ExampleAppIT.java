package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar as a user runs it: {@code --help}, a bad flag, and a graceful stop on SIGTERM. */
class ExampleAppIT {
    private static final Path JAR = Path.of("target", "ticketing-example.jar");
    private static final Pattern RUNNING = Pattern.compile("running: open (http://\\S+/)");
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void helpListsEveryFlagAndExitsZero() throws Exception {
        Result help = run("--help");
        assertEquals(0, help.exitCode(), help.output());
        for (String flag : List.of("--port", "--jdbc-url", "--redis-url", "--hold-seconds", "--jwt-secret",
                "--heartbeat-seconds", "--max-streams", "TICKETING_JWT_SECRET", "default: 8080")) {
            assertTrue(help.output().contains(flag), () -> "--help lacks " + flag + ":\n" + help.output());
        }
    }

    @Test
    void badFlagExitsTwoWithAClearMessage() throws Exception {
        Result bad = run("--max-streams", "0");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("error: --max-streams must be between 1 and 1000000, was 0"), bad.output());
        assertTrue(bad.output().contains("--help"), bad.output());
    }

    @Test
    void unreachableDatabaseExitsOneAndSaysWhatToCheck() throws Exception {
        Result down = run("--port", "0", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test");
        assertEquals(1, down.exitCode(), down.output());
        assertTrue(down.output().contains("Could not start the example app: cannot reach PostgreSQL at "
                + "jdbc:postgresql://127.0.0.1:1/test"), down.output());
    }

    @Test
    void sigtermStopsTheAppGracefully() throws Exception {
        Process app = start("--host", "127.0.0.1", "--port", "0");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = pump(app, lines);
        try {
            URI uri = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (uri == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                Matcher m = line == null ? null : RUNNING.matcher(line);
                if (m != null && m.find()) {
                    uri = URI.create(m.group(1));
                }
            }
            assertTrue(uri != null, "the app never logged its URL");
            assertEquals(200, new TestApi(uri).get("/health", null).status());

            app.toHandle().destroy(); // SIGTERM, leaving the output pipe open to read the shutdown log
            assertTrue(app.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the app did not stop after SIGTERM");
            pump.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            String output = String.join("\n", lines);
            assertTrue(output.contains("Shutting down"), output);
            assertTrue(output.contains("Stopped"), output);
        } finally {
            app.destroyForcibly();
        }
    }

    private static Result run(String... args) throws Exception {
        Process process = start(args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static Process start(String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the package phase");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TICKETING_"));
        return builder.start();
    }

    private static Thread pump(Process process, BlockingQueue<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("output unreadable: " + e);
            }
        }, "app-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private record Result(int exitCode, String output) {
    }
}

package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.TestEnvironment;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a user runs it: {@code --help}, a bad flag, start-up failures that name their cause,
 * demo mode on loopback, no secret in its output, and a graceful stop on SIGTERM.
 */
class ExampleAppIT {
    private static final Path JAR = Path.of("target", "ticketing-example.jar");
    private static final Pattern RUNNING = Pattern.compile("running: open (http://\\S+/)");
    private static final long TIMEOUT_SECONDS = 60;
    private static final String SECRET = "s3cret-h17-pw";

    @Test
    void helpListsEveryFlagAndExitsZero() throws Exception {
        Result help = run("--help");
        assertEquals(0, help.exitCode(), help.output());
        for (String flag : List.of("--port", "--jdbc-url", "--redis-url", "--hold-seconds", "--expiring-lead-seconds", "--jwt-secret",
                "--heartbeat-seconds", "--max-streams", "--max-streams-per-address", "--trusted-proxies",
                "--jwt-issuer", "--jwt-audience", "TICKETING_JWT_SECRET", "default: 8080")) {
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
                + "jdbc:postgresql://127.0.0.1:1/test: connection refused"), down.output());
        assertTrue(down.output().contains("Check --jdbc-url; see --help."), down.output());
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamedAndTheHintNamesOnlyTheFlagsGiven() throws Exception {
        Result wrong = run("--port", "0", "--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/no_such_db_h17?user="
                + TestEnvironment.jdbcUser() + "&password=" + SECRET);
        assertEquals(1, wrong.exitCode(), wrong.output());
        assertTrue(wrong.output().contains("has no such database"), wrong.output());
        assertTrue(wrong.output().contains("Check --jdbc-url; see --help."), wrong.output());
        assertFalse(wrong.output().contains("--redis-url"), wrong.output());
        assertFalse(wrong.output().contains(SECRET), wrong.output());
    }

    @Test
    void aPortInUseOrAHostThatDoesNotResolveIsSaidSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result busy = run("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, busy.exitCode(), busy.output());
            assertTrue(busy.output().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"),
                    busy.output());
        }
        Result nowhere = run("--host", "no-such-host.invalid", "--port", "0");
        assertEquals(1, nowhere.exitCode(), nowhere.output());
        assertTrue(nowhere.output().contains("--host no-such-host.invalid is not an address or a name"), nowhere.output());
    }

    @Test
    void noSecretFromFlagsOrEnvironmentReachesTheLog() throws Exception {
        // A database of its own: the shared one's schema may hold migrations of other builds.
        ScratchDatabase database = new ScratchDatabase();
        String jdbcUrl = database.jdbcUrl() + "&password=" + SECRET; // trust auth: the password is not checked
        URI redis = TestEnvironment.redisUri();
        String redisUrl = "redis://ticketing-it:" + SECRET + "@" + redis.getHost() + ":" + redis.getPort();
        String jwtSecret = "jwt-" + SECRET + "-0123456789abcdef";
        Process app = start(Map.of("TICKETING_JWT_SECRET", jwtSecret, "TICKETING_JDBC_URL", jdbcUrl),
                "--host", "127.0.0.1", "--port", "0", "--redis-url", redisUrl);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = pump(app, lines);
        try (database) {
            awaitUrl(lines);
            awaitLine(lines, "authentication failed"); // the broadcaster's connection, refused by Redis
            app.toHandle().destroy();
            assertTrue(app.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the app did not stop after SIGTERM");
            pump.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            String output = String.join("\n", lines);
            assertFalse(output.contains(SECRET), output);
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void demoModeListensOnLoopbackOnlyAndSaysSo() throws Exception {
        Process app = start("--port", "0");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        pump(app, lines);
        try {
            URI uri = awaitUrl(lines);
            assertEquals("localhost", uri.getHost());
            assertTrue(lines.stream().anyMatch(l -> l.contains("Listening on 127.0.0.1 only")), String.join("\n", lines));
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket socket = new Socket()) {
                    assertThrows(ConnectException.class,
                            () -> socket.connect(new InetSocketAddress(other, uri.getPort()), 5_000), other.toString());
                }
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
                assertTrue(socket.isConnected());
            }
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheAppGracefully() throws Exception {
        Process app = start("--host", "127.0.0.1", "--port", "0");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = pump(app, lines);
        try {
            URI uri = awaitUrl(lines);
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

    /** Waits for the line that gives the app's URL. */
    private static URI awaitUrl(BlockingQueue<String> lines) {
        Matcher m = RUNNING.matcher(awaitLine(lines, "running: open "));
        assertTrue(m.find());
        return URI.create(m.group(1));
    }

    /** Waits for a line containing {@code text} and returns it; the lines read stay in the queue. */
    private static String awaitLine(BlockingQueue<String> lines, String text) {
        Await.until(() -> lines.stream().anyMatch(line -> line.contains(text)), Duration.ofSeconds(TIMEOUT_SECONDS),
                "a line with '" + text + "'");
        return lines.stream().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    /** This machine's IPv4 addresses other than loopback; maybe none. */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).toList();
    }

    private static Result run(String... args) throws Exception {
        Process process = start(args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static Process start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the package phase");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TICKETING_"));
        builder.environment().putAll(env);
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

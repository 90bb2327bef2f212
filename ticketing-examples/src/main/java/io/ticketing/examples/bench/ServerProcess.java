package io.ticketing.examples.bench;

import io.ticketing.examples.ExampleApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example app ({@link ExampleApp}, in memory) in a JVM of its own on 127.0.0.1, started from this process's
 * class path, so that its CPU time and memory can be read from {@code /proc} apart from the load client's. Its
 * output goes to a log file in the temporary directory. Closing it stops the process.
 */
final class ServerProcess implements AutoCloseable {
    /** Linux's {@code USER_HZ}: the unit of the CPU times in {@code /proc/<pid>/stat}. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the app with {@code javaOptions} (such as {@code -Xmx1g}), the bearer tokens of {@code jwtSecret},
     * one-day holds and {@code args} (its own flags); returns once it answers {@code /health}.
     */
    static ServerProcess start(List<String> javaOptions, String jwtSecret, String... args) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExampleApp.class.getName(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--hold-seconds", "86400"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("ticketing-bench-server-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TICKETING_JWT_SECRET", jwtSecret);
        ServerProcess server = new ServerProcess(builder.start(), port, log);
        try {
            server.awaitHealthy();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitHealthy() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; its output is in " + log);
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the server did not answer /health within 120 s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The server's user + system CPU time so far, in seconds (10 ms resolution). */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    /** The same for any process of this machine: {@code utime + stime} of {@code /proc/<pid>/stat}. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
    }

    /** The server's resident set ({@code VmRSS}), in KB. */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    /** Forces a full GC in the server ({@code jcmd <pid> GC.run}) and returns the heap it then uses, in KB. */
    long heapAfterFullGcKb() throws Exception {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IOException("jcmd GC.heap_info printed no heap use");
        }
        return Long.parseLong(used.group(1));
    }

    private String jcmd(String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

package io.ticketing.examples.load;

import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.examples.ToolFlags;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server side of the benchmarks: embedded Jetty 12 on 127.0.0.1 with the API under {@code /api}
 * (in-memory store with its default retention and limits unless told otherwise, one-hour holds unless told
 * otherwise, {@link BenchmarkPrincipals}), plus two benchmark endpoints:
 * {@code POST /bench/noop} (reads the body, answers {@code 201 {"ok":true}}: the trivial baseline) and
 * {@code GET /bench/memory} (runs a GC, answers pid, heap used and RSS), and {@code GET /bench/dump}
 * (Jetty's component dump: threads, connections, buffer pool buckets). Run it as its own process so that
 * its RSS can be read from {@code /proc}:
 *
 * <pre>
 * java -Xmx1g -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.load.BenchmarkServer \
 *      --port 8080 --max-streams 20000
 * </pre>
 */
public final class BenchmarkServer {
    private BenchmarkServer() {
    }

    @Command(name = "BenchmarkServer", sortOptions = false, description = "An example server for the load tools.")
    static final class Flags {
        @Option(names = "--port", description = "HTTP port on 127.0.0.1, 0 for a free one; default 8080")
        int port = 8080;
        @Option(names = "--max-streams", description = "open SSE streams, from any address; default 20000")
        int maxStreams = 20_000;
        @Option(names = "--heartbeat-seconds", description = "default 15")
        int heartbeatSeconds = 15;
        @Option(names = "--min-update-interval-ms", description = "default the library's")
        long minUpdateIntervalMs = TicketingHttp.Builder.DEFAULT_MIN_UPDATE_INTERVAL.toMillis();
        @Option(names = "--writer-threads", description = "default the library's")
        int writerThreads = TicketingHttp.Builder.DEFAULT_WRITER_THREADS;
        @Option(names = "--busy-event-update-interval-ms", description = "default the library's")
        long busyIntervalMs = TicketingHttp.Builder.DEFAULT_BUSY_EVENT_UPDATE_INTERVAL.toMillis();
        @Option(names = "--busy-event-changes-per-second", description = "default the library's")
        int busyRate = TicketingHttp.Builder.DEFAULT_BUSY_EVENT_CHANGES_PER_SECOND;
        @Option(names = "--hold-seconds", description = "default 3600")
        long holdSeconds = 3600;
        @Option(names = "--ended-retention-s", description = "the in-memory store's; default its own")
        Long endedRetentionS;
        @Option(names = "--confirmed-retention-s", description = "the in-memory store's; default its own")
        Long confirmedRetentionS;
        @Option(names = "--key-retention-s", description = "the in-memory store's; default its own")
        Long keyRetentionS;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    public static void main(String[] args) throws Exception {
        Flags flags = new Flags();
        if (!ToolFlags.parse(flags, args)) {
            return;
        }
        InMemoryTicketStore.Builder store = InMemoryTicketStore.builder();
        if (flags.endedRetentionS != null) {
            store.endedReservationRetention(Duration.ofSeconds(flags.endedRetentionS));
        }
        if (flags.confirmedRetentionS != null) {
            store.confirmedReservationRetention(Duration.ofSeconds(flags.confirmedRetentionS));
        }
        if (flags.keyRetentionS != null) {
            store.idempotencyKeyRetention(Duration.ofSeconds(flags.keyRetentionS));
        }
        int port = flags.port;
        Ticketing ticketing = Ticketing.builder().store(store.build()).holdDuration(Duration.ofSeconds(flags.holdSeconds))
                .build();
        TicketingHttp http = TicketingHttp.builder(ticketing)
                .principalResolver(BenchmarkPrincipals.resolver())
                .maxStreams(flags.maxStreams)
                .maxStreamsPerAddress(flags.maxStreams) // every benchmark client comes from 127.0.0.1
                .heartbeatInterval(Duration.ofSeconds(flags.heartbeatSeconds))
                .minUpdateInterval(Duration.ofMillis(flags.minUpdateIntervalMs))
                .busyEventUpdateInterval(Duration.ofMillis(flags.busyIntervalMs))
                .busyEventChangesPerSecond(flags.busyRate)
                .writerThreads(flags.writerThreads)
                .build();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        TicketingJetty.mount(context, "/api", http);
        context.addServlet(new ServletHolder(new NoopServlet()), "/bench/noop");
        context.addServlet(new ServletHolder(new MemoryServlet()), "/bench/memory");
        context.addServlet(new ServletHolder(new DumpServlet(server)), "/bench/dump");
        server.setHandler(context);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                ticketing.close();
            }
        }, "benchmark-server-stop"));
        System.out.println("BenchmarkServer ready on http://127.0.0.1:" + connector.getLocalPort() + "/api, pid "
                + ProcessHandle.current().pid());
        server.join();
    }

    /** The trivial baseline: same request shape as a reservation, no work. */
    static final class NoopServlet extends HttpServlet {
        private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try (InputStream in = request.getInputStream()) {
                in.readAllBytes();
            }
            response.setStatus(201);
            response.setContentType("application/json");
            response.setContentLength(OK.length);
            response.getOutputStream().write(OK);
        }
    }

    /** Pid, heap used after a GC, and RSS of this process. */
    static final class MemoryServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            System.gc();
            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            String json = "{\"pid\":" + ProcessHandle.current().pid() + ",\"heapUsed\":" + heapUsed
                    + ",\"rssKb\":" + rssKb() + "}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }

        private static long rssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }
    }

    /** Jetty's own dump of the server, for looking at its buffer pool and connections under load. */
    static final class DumpServlet extends HttpServlet {
        private final transient Server server;

        DumpServlet(Server server) {
            this.server = server;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] bytes = server.dump().getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=utf-8");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}

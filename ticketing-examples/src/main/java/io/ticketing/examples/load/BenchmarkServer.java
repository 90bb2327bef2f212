package io.ticketing.examples.load;

import io.ticketing.core.Ticketing;
import io.ticketing.core.memory.InMemoryTicketStore;
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

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int maxStreams = 20_000;
        int heartbeatSeconds = 15;
        Duration minUpdateInterval = TicketingHttp.Builder.DEFAULT_MIN_UPDATE_INTERVAL;
        int writerThreads = TicketingHttp.Builder.DEFAULT_WRITER_THREADS;
        Duration busyInterval = TicketingHttp.Builder.DEFAULT_BUSY_EVENT_UPDATE_INTERVAL;
        int busyRate = TicketingHttp.Builder.DEFAULT_BUSY_EVENT_CHANGES_PER_SECOND;
        Duration hold = Duration.ofHours(1);
        InMemoryTicketStore.Builder store = InMemoryTicketStore.builder();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--max-streams" -> maxStreams = Integer.parseInt(args[i + 1]);
                case "--heartbeat-seconds" -> heartbeatSeconds = Integer.parseInt(args[i + 1]);
                case "--min-update-interval-ms" -> minUpdateInterval = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--writer-threads" -> writerThreads = Integer.parseInt(args[i + 1]);
                case "--busy-event-update-interval-ms" -> busyInterval = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--busy-event-changes-per-second" -> busyRate = Integer.parseInt(args[i + 1]);
                case "--hold-seconds" -> hold = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                case "--ended-retention-s" -> store.endedReservationRetention(Duration.ofSeconds(Long.parseLong(args[i + 1])));
                case "--confirmed-retention-s" ->
                        store.confirmedReservationRetention(Duration.ofSeconds(Long.parseLong(args[i + 1])));
                case "--key-retention-s" -> store.idempotencyKeyRetention(Duration.ofSeconds(Long.parseLong(args[i + 1])));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --port, "
                        + "--max-streams, --heartbeat-seconds, --min-update-interval-ms, --writer-threads, "
                        + "--busy-event-update-interval-ms, --busy-event-changes-per-second, --hold-seconds, "
                        + "--ended-retention-s, --confirmed-retention-s, --key-retention-s");
            }
        }
        Ticketing ticketing = Ticketing.builder().store(store.build()).holdDuration(hold).build();
        TicketingHttp http = TicketingHttp.builder(ticketing)
                .principalResolver(BenchmarkPrincipals.resolver())
                .maxStreams(maxStreams)
                .maxStreamsPerAddress(maxStreams) // every benchmark client comes from 127.0.0.1
                .heartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
                .minUpdateInterval(minUpdateInterval)
                .busyEventUpdateInterval(busyInterval)
                .busyEventChangesPerSecond(busyRate)
                .writerThreads(writerThreads)
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

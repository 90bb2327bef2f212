package io.ticketing.examples.bench;

import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.examples.ToolFlags;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 14's resume storm: {@code clients} streams of one event (with {@code ?seats=A:1}) on a node backed by
 * PostgreSQL and Redis; the clients go away, {@code missed} changes of A:1 happen, the node restarts (on the
 * same port and schema), and every client reconnects at once with its {@code Last-Event-ID}. Prints how long
 * until every client holds the current version, and what each re-read: its own gap as {@code seat_changes}
 * (no {@code seat_map}, no {@code reset}). Clients connect from 127.0.0.2 on, {@code perAddress} each.
 *
 * <p>Arguments ({@code key=value}, all optional; {@code --help} lists them): {@code clients} (5000),
 * {@code missed} (100), {@code port} (18210), {@code perAddress} (100), {@code url}, {@code user}, {@code redis}.
 */
public final class ResumeStormBenchmark {
    /** Load clients, each connecting its share of the streams in parallel and then reading them. */
    private static final int THREADS = 8;

    private ResumeStormBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = new Flags();
        if (!ToolFlags.parse(f, args)) {
            return;
        }
        try (Deployment deployment = Deployment.create("bench_resume", f.url, f.user, URI.create(f.redis))) {
            run(deployment, f.clients, f.missed, f.port, f.perAddress);
        }
    }

    /** The command line, {@code key=value} as the other benchmarks. */
    @Command(name = "ResumeStormBenchmark", sortOptions = false,
            description = "Streams resume at once after a node restart; prints time to catch up and what each re-read.")
    static final class Flags {
        @Option(names = "clients", description = "streams; default 5000")
        int clients = 5000;
        @Option(names = "missed", description = "changes while they are away; default 100")
        int missed = 100;
        @Option(names = "port", description = "the node's port on 127.0.0.1; default 18210")
        int port = 18210;
        @Option(names = "perAddress", description = "streams per loopback address, from 127.0.0.2 on; default 100")
        int perAddress = 100;
        @Option(names = "url", description = "default jdbc:postgresql://127.0.0.1:5432/test")
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        @Option(names = "user", description = "default postgres")
        String user = "postgres";
        @Option(names = "redis", description = "default redis://127.0.0.1:6379")
        String redis = "redis://127.0.0.1:6379";
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    private static void run(Deployment deployment, int clients, int missed, int port, int perAddress) throws Exception {
        ClusterNode first = deployment.node("resume-1").maxStreams(20_000).port(port).start();
        long eventId;
        long left;
        String epoch;
        String path;
        try {
            eventId = first.ticketing().events().create(User.seller(1), new EventDraft("Resume storm", null, null,
                    EventStatus.AVAILABLE, new SeatingConfig(20, 50, List.of(new Section("A", 1000, 1))))).id();
            left = first.ticketing().statistics().current(eventId, null).version();
            epoch = first.ticketing().statistics().epoch();
            path = "/api/events/" + eventId + "/stream?seats=A:1";
            Tally before = new Tally(clients, left);
            long t0 = System.nanoTime();
            List<SseLoadClient.Connection> connections = connections(clients, perAddress, path, null, before);
            try (LoadClients c = LoadClients.connect(port, connections, THREADS)) {
                before.awaitAll(60_000);
                System.out.printf("%d streams open and at version %d after %d ms%n", clients, left,
                        (System.nanoTime() - t0) / 1_000_000);
            }
            Waits.await("the node notices the closed streams", () -> first.openStreams() == 0);
            for (int i = 0; i < missed; i++) {
                first.ticketing().reservations().reserve(eventId, ReservationRequest.bestAvailable("A", 1, 1), null,
                        User.buyer(1000 + i));
            }
        } finally {
            first.close();
        }
        ClusterNode second = deployment.node("resume-2").maxStreams(20_000).port(port).start();
        try {
            long current = second.ticketing().statistics().current(eventId, null).version();
            System.out.printf("node restarted; %d changes since version %d, now %d%n", current - left, left, current);
            Tally after = new Tally(clients, current);
            long start = System.nanoTime();
            after.start = start;
            try (LoadClients c = LoadClients.connect(port, connections(clients, perAddress, path, left + "-" + epoch,
                    after), THREADS)) {
                long connected = System.nanoTime();
                boolean all = after.awaitAll(60_000);
                long[] caughtUp = after.caughtUpMillis();
                System.out.printf("reconnected %d clients in %d ms; all caught up: %s; caught up after p50 %d ms, "
                                + "p99 %d ms, max %d ms (from the first reconnect)%n", clients,
                        (connected - start) / 1_000_000, all, caughtUp[caughtUp.length / 2],
                        caughtUp[(int) (caughtUp.length * 0.99)], caughtUp[caughtUp.length - 1]);
                System.out.printf("per client: seat_changes min %d max %d (gap %d), seat_map %d clients, reset %d "
                                + "clients, initial_status %d clients%n", after.min("seat_changes"),
                        after.max("seat_changes"), current - left, after.clients("seat_map"), after.clients("reset"),
                        after.clients("initial_status"));
            }
        } finally {
            second.close();
        }
    }

    private static List<SseLoadClient.Connection> connections(int clients, int perAddress, String path,
                                                              String lastEventId, Tally tally) throws Exception {
        List<SseLoadClient.StreamListener> parsers = SseLoadClient.frameParsers(clients, tally::onFrame);
        List<SseLoadClient.Connection> connections = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            connections.add(new SseLoadClient.Connection(path, lastEventId, LoadClients.source(i, perAddress),
                    parsers.get(i)));
        }
        return connections;
    }

    /**
     * What each client received, on the load client's thread; read after {@link #awaitAll}. A client is caught
     * up once it has read an id of at least {@code target}.
     */
    private static final class Tally {
        private final int clients;
        private final AtomicLongArray caughtUp;
        private final Map<String, AtomicIntegerArray> counts = new HashMap<>();
        private final long target;
        private final CountDownLatch behind;
        long start = System.nanoTime();

        Tally(int clients, long target) {
            this.clients = clients;
            caughtUp = new AtomicLongArray(clients);
            this.target = target;
            behind = new CountDownLatch(clients);
            for (String e : List.of("seat_changes", "seat_map", "reset", "initial_status", "status_update")) {
                counts.put(e, new AtomicIntegerArray(clients));
            }
        }

        void onFrame(int stream, long id, String event, long nanos) {
            AtomicIntegerArray count = counts.get(event);
            if (count != null) {
                count.incrementAndGet(stream);
            }
            if (id >= target && caughtUp.compareAndSet(stream, 0, nanos)) {
                behind.countDown();
            }
        }

        /** Waits until every client is caught up; false if the time ran out first. */
        boolean awaitAll(long millis) throws InterruptedException {
            return behind.await(millis, TimeUnit.MILLISECONDS);
        }

        long[] caughtUpMillis() {
            long[] ms = new long[caughtUp.length()];
            for (int i = 0; i < ms.length; i++) {
                long at = caughtUp.get(i);
                ms[i] = at == 0 ? Long.MAX_VALUE : (at - start) / 1_000_000;
            }
            Arrays.sort(ms);
            return ms;
        }

        int min(String event) {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < clients; i++) {
                min = Math.min(min, counts.get(event).get(i));
            }
            return min;
        }

        int max(String event) {
            int max = 0;
            for (int i = 0; i < clients; i++) {
                max = Math.max(max, counts.get(event).get(i));
            }
            return max;
        }

        int clients(String event) {
            int n = 0;
            for (int i = 0; i < clients; i++) {
                n += counts.get(event).get(i) > 0 ? 1 : 0;
            }
            return n;
        }
    }
}

package io.ticketing.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.model.User;
import io.ticketing.examples.JwtTokens;
import io.ticketing.examples.ToolFlags;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 15's item 8: what a delivered frame costs the server on a stream of several events, against the stream
 * of one event and the lobby. Starts the example app (in memory) as a JVM of its own ({@link ServerProcess}),
 * creates {@code events} events over REST, then runs {@code rounds} rounds; each round measures the server's CPU
 * with only the changes running (no stream: the cost of the changes themselves), then each variant in a rotating
 * order, {@code connections} streams each:
 *
 * <ul>
 *   <li>{@code multi}: {@code GET /api/stream?events=…}, each stream {@code perStream} of the events, drawn at
 *       random (seeded);</li>
 *   <li>{@code single}: {@code GET /api/events/{id}/stream}, the streams spread evenly over the events;</li>
 *   <li>{@code lobby}: {@code GET /api/stream?all=true}, every event's totals.</li>
 * </ul>
 *
 * <p>A variant's phase: a full GC and the server's heap and RSS; the streams connect (from 127.0.0.2 on,
 * {@code perAddress} each, read by {@code readers} NIO threads that parse only the event name, id and version
 * of each frame) and get their initial frames; a full GC and heap and RSS again (the memory per stream, idle);
 * then one reservation per event every {@code changePeriodMs} ({@link PacedTriggers}; a second by default) for {@code warmupS}, then {@code measureS}
 * measured: the server's user + system CPU ({@code /proc/<pid>/stat}) over the {@code status_update} frames the
 * streams received. After the changes stop, every stream must end on each of its events' final version; frames
 * missed are the changes some stream got no frame of (conflated). Prints one line per phase and a summary.
 *
 * <pre>
 * java -cp ticketing-examples/target/ticketing-example.jar io.ticketing.examples.bench.MultiEventStreamBenchmark
 * </pre>
 */
public final class MultiEventStreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MultiEventStreamBenchmark() {
    }

    /** The command line, {@code key=value} as the other benchmarks. */
    @Command(name = "MultiEventStreamBenchmark", sortOptions = false,
            description = "Server CPU per delivered frame: streams of several events, of one event, and the lobby.")
    static final class Flags {
        @Option(names = "connections", description = "streams per variant; default 5000")
        int connections = 5000;
        @Option(names = "events", description = "events, each changed once per changePeriodMs; default 100")
        int events = 100;
        @Option(names = "changePeriodMs", description = "how often each event changes, in ms; default 1000 (the "
                + "fair single-event baseline for 10-event streams: events=10 changePeriodMs=100, the same changes, "
                + "frames and streams per change as the multi variant with the defaults)")
        int changePeriodMs = 1000;
        @Option(names = "perStream", description = "events per stream of the multi variant; default 10")
        int perStream = 10;
        @Option(names = "variants", split = ",", description = "of multi, single, lobby; default all three")
        List<String> variants = List.of("multi", "single", "lobby");
        @Option(names = "rounds", description = "each variant once per round, in a rotating order; default 3")
        int rounds = 3;
        @Option(names = "warmupS", description = "changes before each measured phase; default 5")
        int warmupS = 5;
        @Option(names = "measureS", description = "the measured phase; default 15")
        int measureS = 15;
        @Option(names = "perAddress", description = "streams per loopback address, from 127.0.0.2 on; default 100")
        int perAddress = 100;
        @Option(names = "readers", description = "load client threads; default 2")
        int readers = 2;
        @Option(names = "javaOpts", description = "the server's JVM options, space-separated; default -Xmx1g")
        String javaOpts = "-Xmx1g";
        @Option(names = "seed", description = "of the multi variant's random choice of events; default 15")
        long seed = 15;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
        boolean help;
    }

    /** What a run does: see the flags. */
    record Settings(int connections, int events, int perStream, List<String> variants, int rounds, int warmupS,
                    int measureS, int perAddress, int readers, List<String> javaOptions, long seed,
                    int changePeriodMs) {
        Settings {
            if (changePeriodMs < 10 || changePeriodMs > 60_000) {
                throw new IllegalArgumentException("need 10 ≤ changePeriodMs ≤ 60000");
            }
            if (events < 1 || perStream < 1 || perStream > Math.min(events, 50) || connections < 1 || rounds < 1
                    || warmupS < 0 || measureS < 1 || measureS > 120 || warmupS > 120 || readers < 1) {
                throw new IllegalArgumentException("need events ≥ 1, 1 ≤ perStream ≤ min(events, 50), "
                        + "connections ≥ 1, rounds ≥ 1, readers ≥ 1, 0 ≤ warmupS ≤ 120, 1 ≤ measureS ≤ 120");
            }
            if (variants.isEmpty() || !List.of("multi", "single", "lobby").containsAll(variants)) {
                throw new IllegalArgumentException("variants are multi, single and/or lobby");
            }
        }
    }

    /**
     * One measured phase. {@code variant} is {@code changes} for the phase with no streams; memory figures are
     * per stream, in KB; {@code missed} of {@code frames + missed} changes reached no frame of some stream.
     */
    record Phase(int round, String variant, int streams, int refused, double connectSeconds, double heapKb,
                 double rssKb, double seconds, long frames, double serverCores, double readerCores,
                 double clientCores, long missed, int behind, long changes, long failedChanges, String load) {
        double framesPerSecond() {
            return frames / seconds;
        }

        /** Server CPU per delivered frame, in µs. */
        double microsPerFrame() {
            return serverCores * seconds * 1e6 / frames;
        }

        /** The same without {@code changesCores} of CPU (the changes' own cost), in µs. */
        double netMicrosPerFrame(double changesCores) {
            return (serverCores - changesCores) * seconds * 1e6 / frames;
        }
    }

    public static void main(String[] args) throws Exception {
        Flags f = new Flags();
        if (!ToolFlags.parse(f, args)) {
            return;
        }
        Settings settings = new Settings(f.connections, f.events, f.perStream, f.variants, f.rounds, f.warmupS,
                f.measureS, f.perAddress, f.readers, List.of(f.javaOpts.trim().split("\\s+")), f.seed,
                f.changePeriodMs);
        List<Phase> phases = run(settings, System.out);
        summarize(phases, System.out);
    }

    /** Runs the benchmark, printing each phase's line to {@code out} as it ends, and returns the phases. */
    static List<Phase> run(Settings s, PrintStream out) throws Exception {
        byte[] secret = new byte[32];
        ThreadLocalRandom.current().nextBytes(secret);
        String jwtSecret = HexFormat.of().formatHex(secret);
        JwtTokens tokens = new JwtTokens(jwtSecret);
        try (ServerProcess server = ServerProcess.start(s.javaOptions(), jwtSecret, "--max-streams", "20000")) {
            Api api = new Api(server.port(), tokens.issue(User.seller(1), Duration.ofDays(1)),
                    tokens.issue(User.buyer(2), Duration.ofDays(1)));
            long[] eventIds = new long[s.events()];
            for (int e = 0; e < eventIds.length; e++) {
                eventIds[e] = api.createEvent("Bench " + e);
            }
            out.printf("server pid %d on port %d (%s), %d events; load %s%n", server.pid(), server.port(),
                    String.join(" ", s.javaOptions()), eventIds.length, load());
            Run run = new Run(s, server, api, eventIds, out);
            List<Phase> phases = new ArrayList<>();
            for (int round = 1; round <= s.rounds(); round++) {
                phases.add(run.changesOnly(round));
                for (int v = 0; v < s.variants().size(); v++) {
                    String variant = s.variants().get((v + round - 1) % s.variants().size());
                    phases.add(run.streams(round, variant));
                }
            }
            return phases;
        }
    }

    /** Prints each variant's median CPU per frame, also net of the changes' own CPU, and the ratios to single. */
    static void summarize(List<Phase> phases, PrintStream out) {
        out.println("summary (medians over the rounds; net = without the CPU the changes take with no stream open):");
        for (String variant : List.of("multi", "single", "lobby")) {
            List<Phase> of = phases.stream().filter(p -> p.variant().equals(variant)).toList();
            if (of.isEmpty()) {
                continue;
            }
            out.printf("  %-6s %8.2f µs/frame, net %6.2f µs/frame, %9.0f frames/s, heap %.1f KB and RSS %.1f KB per"
                            + " stream, missed %d, behind %d%n", variant,
                    median(of.stream().mapToDouble(Phase::microsPerFrame)),
                    median(of.stream().mapToDouble(p -> p.netMicrosPerFrame(changesCores(phases, p.round())))),
                    median(of.stream().mapToDouble(Phase::framesPerSecond)),
                    median(of.stream().mapToDouble(Phase::heapKb)), median(of.stream().mapToDouble(Phase::rssKb)),
                    of.stream().mapToLong(Phase::missed).sum(), of.stream().mapToInt(Phase::behind).sum());
        }
        for (String variant : List.of("multi", "lobby")) {
            List<String> ratios = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Phase p : phases) {
                Phase single = phases.stream().filter(q -> q.round() == p.round() && q.variant().equals("single"))
                        .findFirst().orElse(null);
                if (p.variant().equals(variant) && single != null) {
                    double c = changesCores(phases, p.round());
                    double ratio = p.microsPerFrame() / single.microsPerFrame();
                    values.add(ratio);
                    ratios.add(String.format("%.2f (net %.2f)", ratio,
                            p.netMicrosPerFrame(c) / single.netMicrosPerFrame(c)));
                }
            }
            if (!values.isEmpty()) {
                out.printf("  %s / single, CPU per frame, by round: %s; median %.2f%n", variant,
                        String.join(", ", ratios), median(values.stream().mapToDouble(Double::doubleValue)));
            }
        }
    }

    private static double changesCores(List<Phase> phases, int round) {
        return phases.stream().filter(p -> p.round() == round && p.variant().equals("changes"))
                .mapToDouble(Phase::serverCores).findFirst().orElse(0);
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The phases of one run, on one server. */
    private record Run(Settings s, ServerProcess server, Api api, long[] eventIds, PrintStream out) {

        Phase changesOnly(int round) throws Exception {
            String load = load();
            try (PacedTriggers changes = PacedTriggers.start(server.port(), eventIds, api.buyer(),
                    Duration.ofMillis(s.changePeriodMs()))) {
                Thread.sleep(s.warmupS() * 1000L);
                Snapshot before = Snapshot.take(server, null, changes);
                Thread.sleep(s.measureS() * 1000L);
                Snapshot after = Snapshot.take(server, null, changes);
                Phase phase = new Phase(round, "changes", 0, 0, 0, 0, 0, after.seconds(before), 0,
                        after.serverCores(before), 0, after.clientCores(before), 0, 0,
                        after.changes - before.changes, after.failed - before.failed, load);
                out.printf("round %d, changes only: %.1f s, %d changes (%d failed), server %.3f cores, client %.3f"
                                + " cores; load %s%n", round, phase.seconds(), phase.changes(), phase.failedChanges(),
                        phase.serverCores(), phase.clientCores(), load);
                return phase;
            }
        }

        Phase streams(int round, String variant) throws Exception {
            String load = load();
            List<int[]> follows = follows(variant);
            StreamTally tally = new StreamTally(eventIds, follows);
            List<SseLoadClient.Connection> connections = new ArrayList<>(follows.size());
            for (int i = 0; i < follows.size(); i++) {
                connections.add(new SseLoadClient.Connection(path(variant, follows.get(i)), null,
                        LoadClients.source(i, s.perAddress()), tally.listener(i)));
            }
            long heapBefore = server.heapAfterFullGcKb();
            long rssBefore = server.rssKb();
            long t0 = System.nanoTime();
            double connectSeconds;
            long heapIdle;
            long rssIdle;
            Snapshot before;
            Snapshot after;
            long[] finalVersions;
            try (LoadClients clients = LoadClients.connect(server.port(), connections, s.readers())) {
                if (!tally.awaitReady(120)) {
                    throw new IllegalStateException(variant + ": the streams did not all get their initial frames"
                            + " within 120 s");
                }
                connectSeconds = (System.nanoTime() - t0) / 1e9;
                heapIdle = server.heapAfterFullGcKb();
                rssIdle = server.rssKb();
                try (PacedTriggers changes = PacedTriggers.start(server.port(), eventIds, api.buyer(),
                    Duration.ofMillis(s.changePeriodMs()))) {
                    Thread.sleep(s.warmupS() * 1000L);
                    before = Snapshot.take(server, tally, changes);
                    Thread.sleep(s.measureS() * 1000L);
                    after = Snapshot.take(server, tally, changes);
                }
                settle(tally);
                finalVersions = api.versions(eventIds);
            }
            int n = follows.size();
            Phase phase = new Phase(round, variant, n, tally.refused(), connectSeconds,
                    (heapIdle - heapBefore) / (double) n, (rssIdle - rssBefore) / (double) n, after.seconds(before),
                    after.frames - before.frames, after.serverCores(before), after.readerCores(before),
                    after.clientCores(before), tally.missed(finalVersions), tally.behind(finalVersions),
                    after.changes - before.changes, after.failed - before.failed, load);
            out.printf("round %d, %s: %d streams (%d refused) ready in %.1f s, idle %.1f KB heap and %.1f KB RSS per"
                            + " stream; %.1f s measured: %d frames (%.0f/s), server %.3f cores = %.2f µs per frame;"
                            + " client readers %.3f cores, client process %.3f; %d changes (%d failed); missed %d of"
                            + " %d, streams behind %d; load %s%n", round, variant, phase.streams(), phase.refused(),
                    phase.connectSeconds(), phase.heapKb(), phase.rssKb(), phase.seconds(), phase.frames(),
                    phase.framesPerSecond(), phase.serverCores(), phase.microsPerFrame(), phase.readerCores(),
                    phase.clientCores(), phase.changes(), phase.failedChanges(), phase.missed(),
                    tally.updates() + phase.missed(), phase.behind(), load);
            closeStreams();
            return phase;
        }

        /** Per stream, the indexes of the events it follows. */
        private List<int[]> follows(String variant) {
            Random random = new Random(s.seed());
            int[] all = IntStream.range(0, eventIds.length).toArray();
            return IntStream.range(0, s.connections()).mapToObj(i -> switch (variant) {
                case "multi" -> pick(random, s.perStream());
                case "single" -> new int[] {i % eventIds.length};
                default -> all;
            }).toList();
        }

        private int[] pick(Random random, int count) {
            int[] order = IntStream.range(0, eventIds.length).toArray();
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return Arrays.copyOf(order, count);
        }

        private String path(String variant, int[] events) {
            return switch (variant) {
                case "multi" -> "/api/stream?events=" + Arrays.stream(events).mapToObj(e -> Long.toString(eventIds[e]))
                        .collect(Collectors.joining(","));
                case "single" -> "/api/events/" + eventIds[events[0]] + "/stream";
                default -> "/api/stream?all=true";
            };
        }

        /** Waits until no frame has arrived for a second (at most 30 s), so that the streams hold the last ones. */
        private static void settle(StreamTally tally) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long seen = -1;
            while (tally.updates() != seen && System.nanoTime() - deadline < 0) {
                seen = tally.updates();
                Thread.sleep(1000);
            }
        }

        /**
         * Lets the server notice the closed streams: it does at its next write to each, so changes run until it
         * reports no stream open (at most 60 s), and the next phase's streams fit under its caps.
         */
        private void closeStreams() throws Exception {
            try (PacedTriggers changes = PacedTriggers.start(server.port(), eventIds, api.buyer(),
                    Duration.ofMillis(s.changePeriodMs()))) {
                Waits.await("the server closes the streams", () -> api.openStreams() == 0);
            }
        }
    }

    /** CPU times and counters at one moment of a phase. */
    private record Snapshot(long nanos, double serverCpu, double readerCpu, double clientCpu, long frames,
                            long changes, long failed) {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        static Snapshot take(ServerProcess server, StreamTally tally, PacedTriggers changes) throws IOException {
            double readers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("sse-load-client"))
                    .mapToLong(t -> Math.max(0, THREADS.getThreadCpuTime(t.getId()))).sum() / 1e9;
            return new Snapshot(System.nanoTime(), server.cpuSeconds(), readers,
                    ServerProcess.cpuSeconds(ProcessHandle.current().pid()), tally == null ? 0 : tally.updates(),
                    changes.sent(), changes.failed());
        }

        double seconds(Snapshot before) {
            return (nanos - before.nanos) / 1e9;
        }

        double serverCores(Snapshot before) {
            return (serverCpu - before.serverCpu) / seconds(before);
        }

        double readerCores(Snapshot before) {
            return (readerCpu - before.readerCpu) / seconds(before);
        }

        double clientCores(Snapshot before) {
            return (clientCpu - before.clientCpu) / seconds(before);
        }
    }

    /** The app's REST API as the benchmark's seller and buyer. */
    private record Api(int port, String seller, String buyer) {
        private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        long createEvent(String name) throws Exception {
            String body = "{\"name\":\"" + name + "\",\"seatingConfig\":{\"rows\":40,\"cols\":100,\"sections\":"
                    + "[{\"name\":\"A\",\"price\":1,\"subsections\":1}]}}";
            HttpResponse<String> created = CLIENT.send(request("/api/events").header("Authorization", "Bearer " + seller)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("POST /api/events answered " + created.statusCode() + ": "
                        + created.body());
            }
            return JSON.readTree(created.body()).path("id").asLong();
        }

        long[] versions(long[] eventIds) throws Exception {
            long[] versions = new long[eventIds.length];
            for (int e = 0; e < eventIds.length; e++) {
                versions[e] = JSON.readTree(get("/api/events/" + eventIds[e])).path("statistics").path("version")
                        .asLong();
            }
            return versions;
        }

        int openStreams() {
            try {
                return JSON.readTree(get("/api/stream/stats")).path("connections").asInt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private String get(String path) throws Exception {
            return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        }
    }
}

package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.servlet.testing.OkHttpSseRecorder;
import io.ticketing.servlet.testing.RawHttpConnection;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built jar as a module, as a host on the module path uses it: the host module of {@code src/test/module-host}
 * is compiled against the jar and runs in a child JVM with only modules on its path (the jar, and those of the
 * test class path that resolving the host needs: core, Jackson, SLF4J, the Servlet API, Jetty, Tomcat's module
 * jars), nothing on the class path. The host reports what the module exports and whether reflection reaches its
 * internals, and then serves the API, its resources and a stream from Jetty or Tomcat. Failures show the
 * child's output.
 */
class ModulePathIT {
    private static final String HOST = "io.ticketing.host";
    /** Tomcat's JASPIC API instantiates Tomcat's factory by reflection, from a module that does not read it. */
    private static final String TOMCAT_JASPIC_READS =
            "--add-reads=jakarta.security.auth.message=org.apache.tomcat.catalina";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SELLER = "Bearer seller:3";
    private static final String BUYER = "Bearer buyer:7";
    private static final String GALA = """
            {"name": "Gala", "venueName": "Hall", "status": "available",
             "seatingConfig": {"rows": 5, "cols": 4, "sections": [{"name": "A", "price": 2000, "subsections": 1}]}}
            """;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void aHostModuleSeesOnlyTheApiAndServesRestAndStreamsFromTheModulePath(String container, @TempDir Path dir)
            throws Exception {
        List<Path> modules = new ArrayList<>();
        modules.add(Path.of(System.getProperty("ticketing.servlet.jar")));
        modules.addAll(namedModulesOfTheClassPath());
        Path host = compileHost(modules, dir.resolve("host"));
        List<Path> modulePath = resolve(host, modules);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "--module-path", join(modulePath)));
        if (container.equals("tomcat")) {
            command.add(TOMCAT_JASPIC_READS);
        }
        command.addAll(List.of("--module", HOST + "/" + HOST + ".Host", container));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread pump = new Thread(() -> pump(process, output), "host-output");
        pump.setDaemon(true);
        pump.start();
        try {
            try {
                Awaitility.await("the host listening").atMost(WAIT).until(
                        () -> output.stream().anyMatch(l -> l.startsWith("host listening ")) || !process.isAlive());
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; the host's output:\n" + String.join("\n", output), e);
            }
            assertTrue(process.isAlive(), () -> "the host ended: " + String.join("\n", output));
            checkReport(output);
            URI api = URI.create("http://127.0.0.1:" + value(output, "host listening ") + "/api");
            checkApi(api, output);
        } finally {
            process.getOutputStream().close(); // the host stops its server when its input ends
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            pump.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals(0, process.exitValue(),
                () -> "the host's exit (killed if it did not stop in 30 s); its output:\n" + String.join("\n", output));
    }

    /** What the host reported on its module: exactly the API and adapter packages exported, internals refused. */
    private static void checkReport(List<String> output) {
        String all = String.join("\n", output);
        assertEquals("io.ticketing.servlet", value(output, "host module "), all);
        Set<String> exported = new TreeSet<>();
        Set<String> packages = new TreeSet<>();
        for (String line : output) {
            if (line.startsWith("host package ")) {
                String[] parts = line.substring("host package ".length()).split(" exported=");
                packages.add(parts[0]);
                if (Boolean.parseBoolean(parts[1])) {
                    exported.add(parts[0]);
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of("io.ticketing.servlet", "io.ticketing.servlet.jetty",
                "io.ticketing.servlet.tomcat")), exported, all);
        assertTrue(packages.contains("io.ticketing.servlet.internal"), all);
        assertTrue(value(output, "host internal access ").startsWith("refused io.ticketing.servlet.internal."), all);
    }

    /**
     * REST both ways through Jackson, the two resources, the container's own error answered by the adapter's
     * handler, and a stream that follows a reservation.
     */
    private void checkApi(URI api, List<String> output) throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(api + "/events"))
                .header("Authorization", SELLER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GALA)));
        assertEquals(201, created.statusCode(), () -> created.body() + "\n" + String.join("\n", output));
        JsonNode event = json.readTree(created.body());
        assertEquals(20, event.at("/statistics/totalTickets").asInt(), created.body());
        long id = event.get("id").asLong();

        HttpResponse<String> openApi = send(HttpRequest.newBuilder(URI.create(api + "/openapi.json")));
        assertEquals(200, openApi.statusCode(), openApi.body());
        assertTrue(json.readTree(openApi.body()).get("openapi").asText().startsWith("3.1"), openApi.body());
        HttpResponse<String> script = send(HttpRequest.newBuilder(URI.create(api + "/ticketing-client.js")));
        assertEquals(200, script.statusCode(), script.body());
        assertTrue(script.body().contains("export function openEventStream"), script.body());
        String refused = RawHttpConnection.exchange(api, "GET /api/events/%zz HTTP/1.1");
        assertTrue(refused.startsWith("HTTP/1.1 400") && refused.contains("{\"error\":{\"status\":400,"), refused);

        OkHttpClient sseClient = new OkHttpClient.Builder().readTimeout(WAIT).build();
        try (OkHttpSseRecorder sse = OkHttpSseRecorder.open(sseClient,
                new Request.Builder().url(api + "/events/" + id + "/stream").build())) {
            assertEquals("open", sse.next(WAIT).type());
            OkHttpSseRecorder.Callback initial = sse.next(WAIT);
            assertEquals("initial_status", initial.type(), String.valueOf(initial.failure()));
            assertEquals(20, json.readTree(initial.data()).get("remainingTickets").asInt(), initial.data());

            String two = "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}";
            HttpResponse<String> reserved = send(HttpRequest.newBuilder(URI.create(api + "/events/" + id + "/reservations"))
                    .header("Authorization", BUYER).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(two)));
            assertEquals(201, reserved.statusCode(), reserved.body());
            OkHttpSseRecorder.Callback update = sse.next(WAIT);
            assertEquals("status_update", update.type(), String.valueOf(update.failure()));
            assertEquals(18, json.readTree(update.data()).get("remainingTickets").asInt(), update.data());
        } finally {
            sseClient.dispatcher().executorService().shutdown();
            sseClient.connectionPool().evictAll();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The class path entries that are named modules (automatic ones excluded: resolving must not need them),
     * other than this module's own classes, whose place the built jar takes.
     */
    private static List<Path> namedModulesOfTheClassPath() {
        List<Path> named = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            try {
                Set<ModuleReference> found = ModuleFinder.of(path).findAll();
                if (found.size() == 1) {
                    ModuleDescriptor descriptor = found.iterator().next().descriptor();
                    if (!descriptor.isAutomatic() && !descriptor.name().equals("io.ticketing.servlet")) {
                        named.add(path);
                    }
                }
            } catch (FindException e) {
                // not a module at all (no descriptor and no derivable name): never on a module path
            }
        }
        return named;
    }

    /** Compiles the host module against {@code modules}, failing with javac's diagnostics. */
    private static Path compileHost(List<Path> modules, Path out) throws IOException {
        Path sources = Path.of(System.getProperty("basedir", "."), "src", "test", "module-host");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", join(modules)));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler()
                .run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, status, () -> "javac " + args + "\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** The modules the host needs, resolved (with services bound) as the launcher will: only those go on its path. */
    private static List<Path> resolve(Path host, List<Path> modules) {
        List<Path> all = new ArrayList<>(List.of(host));
        all.addAll(modules);
        Configuration configuration = ModuleLayer.boot().configuration().resolveAndBind(
                ModuleFinder.of(all.toArray(Path[]::new)), ModuleFinder.of(), Set.of(HOST));
        return configuration.modules().stream().map(ResolvedModule::reference)
                .map(r -> Path.of(r.location().orElseThrow())).sorted().toList();
    }

    private static void pump(Process process, List<String> output) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(output::add);
        } catch (IOException e) {
            output.add("(reading the host's output failed: " + e + ")");
        }
    }

    private static String value(List<String> output, String prefix) {
        return output.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line \"" + prefix + "...\" in the host's output:\n"
                        + String.join("\n", output)));
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }
}

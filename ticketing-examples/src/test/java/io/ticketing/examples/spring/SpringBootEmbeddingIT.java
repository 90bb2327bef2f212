package io.ticketing.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.core.testing.CapturedLog;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.testing.SseRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/**
 * The servlet in a Spring Boot 3 application ({@link TicketingSpringApp}) on Tomcat: Spring Security's
 * users act through the API, streams are read, and closing the context with {@code server.shutdown=graceful}
 * (what SIGTERM does) ends every stream cleanly within the library's shutdown timeout, with no warning.
 */
class SpringBootEmbeddingIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void springSecurityUsersActAndAGracefulShutdownEndsEveryStreamCleanly() throws Exception {
        ServletWebServerApplicationContext context = (ServletWebServerApplicationContext) new SpringApplication(
                TicketingSpringApp.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--server.shutdown=graceful", "--spring.main.banner-mode=off");
        boolean closed = false;
        try {
            String api = "http://127.0.0.1:" + context.getWebServer().getPort() + "/api";
            Ticketing ticketing = context.getBean(Ticketing.class);
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(api + "/events"))
                    .header("Authorization", basic("3", "seller-password")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name": "Gala", "seatingConfig": {"rows": 2, "cols": 4,
                             "sections": [{"name": "A", "price": 2000, "subsections": 1}]}}""")));
            assertEquals(201, created.statusCode(), created.body());
            String location = created.headers().firstValue("Location").orElseThrow();
            long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(api + "/events/" + id + "/reservations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}")));
            assertEquals(401, anonymous.statusCode(), anonymous.body());

            long version = ticketing.statistics().current(id, null).version();
            List<SseRecorder> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    SseRecorder sse = SseRecorder.open(URI.create(api + "/events/" + id + "/stream"));
                    streams.add(sse);
                    sse.assertEvent("initial_status", version);
                }
                HttpResponse<String> held = send(HttpRequest.newBuilder(URI.create(api + "/events/" + id + "/reservations"))
                        .header("Authorization", basic("7", "buyer-password")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}")));
                assertEquals(201, held.statusCode(), held.body());
                assertTrue(held.body().contains("\"buyerId\":7"), held.body());
                for (SseRecorder sse : streams) {
                    sse.assertEvent("status_update", version + 1);
                }

                long started = System.nanoTime();
                context.close(); // as on SIGTERM: Spring's shutdown hook closes the context
                closed = true;
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                for (SseRecorder sse : streams) {
                    sse.assertEnd(); // a clean end of the response, not a reset
                }
                Duration limit = TicketingHttp.Builder.DEFAULT_SHUTDOWN_TIMEOUT.multipliedBy(4); // 30 s without the hook
                assertTrue(took.compareTo(limit) < 0, "the context closed in " + took + ", not within " + limit
                        + " (without the lifecycle hook it waits 30 s for the open streams)");
            } finally {
                for (SseRecorder sse : streams) {
                    sse.close();
                }
            }
            assertFalse(log.text().contains("WARN"), log.text());
        } finally {
            if (!closed) {
                context.close();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}

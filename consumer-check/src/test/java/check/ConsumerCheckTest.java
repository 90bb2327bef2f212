package check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.User;
import io.ticketing.servlet.TicketingHttp;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/** The installed jars, embedded in plain Tomcat by {@link TomcatHost}, serve the REST API and a stream. */
class ConsumerCheckTest {
    @Test
    void theInstalledJarsServeAnEventAndItsStreamFromTomcat() throws Exception {
        try (Ticketing ticketing = Ticketing.builder().build(); TicketingHttp http = TicketingHttp.builder(ticketing).build()) {
            Event gala = ticketing.events().create(User.seller(3), new EventDraft("Gala", null, "Hall",
                    EventStatus.AVAILABLE, new SeatingConfig(2, 4, List.of(new Section("A", 2000, 1)))));
            Tomcat tomcat = TomcatHost.start(http);
            try {
                String api = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/api";
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> event = client.send(HttpRequest.newBuilder(URI.create(api + "/events/" + gala.id()))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, event.statusCode(), event.body());
                HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(
                        URI.create(api + "/events/" + gala.id() + "/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, stream.statusCode());
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    do {
                        line = lines.readLine();
                    } while (line != null && !line.startsWith("event:"));
                    assertEquals("event: initial_status", line);
                    assertTrue(lines.readLine().startsWith("data: {\"eventId\":" + gala.id()));
                }
            } finally {
                http.shutdown();
                tomcat.stop();
                tomcat.destroy();
            }
        }
    }
}

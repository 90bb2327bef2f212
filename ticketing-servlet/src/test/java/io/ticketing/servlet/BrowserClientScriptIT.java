package io.ticketing.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.servlet.testing.ApiClient;
import io.ticketing.servlet.testing.ApiClient.Response;
import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;
import io.ticketing.servlet.testing.TomcatTestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <mount>/ticketing-client.js}: the module from the jar, revalidated by ETag, and the opt-out. */
class BrowserClientScriptIT {

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void theModuleIsServedAsJavaScriptAndRevalidatedByItsETag(String container) throws Exception {
        String shipped;
        try (InputStream in = BrowserClientScript.class.getResourceAsStream("ticketing-client.js")) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Ticketing ticketing = Ticketing.builder().build();
             TestServer server = start(container, TicketingHttp.builder(ticketing).build())) {
            ApiClient api = new ApiClient(server);
            Response script = api.get("/ticketing-client.js", null);
            assertEquals(200, script.status());
            assertEquals("text/javascript;charset=utf-8", script.header("Content-Type").replace(" ", "").toLowerCase());
            assertEquals("no-cache", script.header("Cache-Control"));
            assertEquals(shipped, script.body());
            assertTrue(script.body().contains("export function openEventStream("));

            String etag = script.header("ETag");
            Response unchanged = api.send("GET", "/ticketing-client.js", null, null, null, "If-None-Match", etag);
            assertEquals(304, unchanged.status());
            assertEquals("", unchanged.body());
            Response head = api.send("HEAD", "/ticketing-client.js", null, null, null);
            assertEquals(200, head.status());
            assertEquals(etag, head.header("ETag"));
            Response post = api.post("/ticketing-client.js", null, "{}");
            assertEquals(405, post.status(), "like any method a path of the API does not have");
            assertEquals("GET", post.header("Allow"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void theModuleCanBeTurnedOff(String container) throws Exception {
        try (Ticketing ticketing = Ticketing.builder().build();
             TestServer server = start(container, TicketingHttp.builder(ticketing).serveBrowserClient(false).build())) {
            Response missing = new ApiClient(server).get("/ticketing-client.js", null);
            assertEquals(404, missing.status());
            assertEquals("not_found", missing.json().at("/error/code").asText());
        }
    }

    private static TestServer start(String container, TicketingHttp http) throws Exception {
        return container.equals("jetty") ? JettyTestServer.start(http) : TomcatTestServer.start(http);
    }
}

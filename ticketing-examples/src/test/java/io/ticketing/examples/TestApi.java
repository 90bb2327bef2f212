package io.ticketing.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.json.TicketingJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client of a running example app, for tests. */
final class TestApi {
    static final String GALA = """
            {"name": "Spring Gala", "venueName": "Town Hall", "description": "An evening of chamber music",
             "seatingConfig": {"rows": 6, "cols": 12, "sections": [
               {"name": "A", "price": 4500, "subsections": 2}, {"name": "B", "price": 2500, "subsections": 1}]}}
            """;

    private static final ObjectMapper MAPPER = TicketingJson.newObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;

    TestApi(URI base) {
        this.base = base;
    }

    /** A token from {@code POST /api/demo/token}. */
    String demoToken(long userId, String role) {
        Response r = send("POST", "/api/demo/token", null, "{\"userId\": " + userId + ", \"role\": \"" + role + "\"}");
        if (r.status() != 200) {
            throw new AssertionError("demo token: " + r);
        }
        return r.json().get("token").asText();
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    /** Creates the {@link #GALA} event as {@code sellerToken} and returns its id. */
    long createGala(String sellerToken) {
        Response r = post("/api/events", sellerToken, GALA);
        if (r.status() != 201) {
            throw new AssertionError("create event: " + r);
        }
        return r.json().get("id").asLong();
    }

    Response send(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return new Response(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer with its status, headers and body. */
    record Response(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return status() + " " + body();
        }
    }
}

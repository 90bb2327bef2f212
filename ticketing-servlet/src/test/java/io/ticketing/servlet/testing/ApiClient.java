package io.ticketing.servlet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for tests over real HTTP: {@code api.post("/events", token, json)}. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final TestServer server;

    public ApiClient(TestServer server) {
        this.server = server;
    }

    /** A response with its body as text; {@link #json()} parses it. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path, String authorization) {
        return send("GET", path, authorization, null, null);
    }

    public Response post(String path, String authorization, String json) {
        return send("POST", path, authorization, json, json == null ? null : "application/json");
    }

    public Response patch(String path, String authorization, String json) {
        return send("PATCH", path, authorization, json, "application/json");
    }

    /**
     * Any request. {@code authorization} (a whole header value), {@code body} and {@code contentType} may be
     * null; {@code extraHeaders} are name, value pairs.
     */
    public Response send(String method, String path, String authorization, String body, String contentType,
                         String... extraHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < extraHeaders.length; i += 2) {
            request.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The raw URI of a path, for clients other than this one. */
    public URI uri(String path) {
        return server.uri(path);
    }
}

package io.ticketing.servlet;

import io.ticketing.servlet.internal.RestHandler;
import io.ticketing.servlet.internal.StreamHandler;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON REST API of {@code api.md}, for every path under the prefix it is mounted at (say
 * {@code /api/*}). {@code GET /events/{id}/stream} and {@code GET /stream/stats} are handed to the
 * {@link EventStreamServlet} of the same {@link TicketingHttp}, so the registration must have
 * {@code asyncSupported=true}. Obtain it from {@link TicketingHttp#restServlet()}.
 *
 * <p>Thread-safe; requests are served on the container's thread. Every error is a JSON body
 * {@code {"error":{...}}}; a 500 is logged with its stack trace and never shows it. Destroying the
 * servlet shuts its {@link TicketingHttp} down. Cross-origin requests get the CORS headers of
 * {@link TicketingHttp.Builder#allowedOrigins(java.util.Collection)}. {@code GET /openapi.json} answers the
 * OpenAPI description unless {@link TicketingHttp.Builder#serveOpenApi(boolean)} turned it off, and
 * {@code GET /ticketing-client.js} the browser client unless {@link TicketingHttp.Builder#serveBrowserClient(boolean)}
 * turned it off.
 */
public final class RestApiServlet extends HttpServlet {
    private final transient RestHandler rest;
    private final transient CorsPolicy cors;
    private final transient @Nullable OpenApiDocument openApi;
    private final transient @Nullable BrowserClientScript browserClient;
    private final EventStreamServlet streams;

    /** {@code openApi} and {@code browserClient} are null when not served. */
    RestApiServlet(RestHandler rest, CorsPolicy cors, @Nullable OpenApiDocument openApi,
                   @Nullable BrowserClientScript browserClient, EventStreamServlet streams) {
        this.rest = rest;
        this.cors = cors;
        this.openApi = openApi;
        this.browserClient = browserClient;
        this.streams = streams;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (StreamHandler.isStreamPath(request.getPathInfo())) {
            streams.service(request, response);
        } else if (cors.apply(request, response)) {
            // a preflight, answered
        } else if (openApi != null && OpenApiDocument.isPath(request)) {
            serveReadOnly(request, response, openApi::write);
        } else if (browserClient != null && BrowserClientScript.isPath(request)) {
            serveReadOnly(request, response, browserClient::write);
        } else {
            rest.handle(request, response);
        }
    }

    /** Serves a {@code GET} or {@code HEAD} of a fixed resource; any other method is a 405 like any REST path's. */
    private void serveReadOnly(HttpServletRequest request, HttpServletResponse response, Resource resource)
            throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            resource.write(request, response);
        } else {
            rest.refuseMethod(request, response, "GET");
        }
    }

    /** A fixed resource of the mount: the OpenAPI description or the browser client. */
    private interface Resource {
        void write(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    @Override
    public void destroy() {
        streams.destroy();
    }
}

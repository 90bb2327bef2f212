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
 * OpenAPI description unless {@link TicketingHttp.Builder#serveOpenApi(boolean)} turned it off.
 */
public final class RestApiServlet extends HttpServlet {
    private final transient RestHandler rest;
    private final transient CorsPolicy cors;
    private final transient @Nullable OpenApiDocument openApi;
    private final EventStreamServlet streams;

    /** {@code openApi} is null when the description is not served. */
    RestApiServlet(RestHandler rest, CorsPolicy cors, @Nullable OpenApiDocument openApi, EventStreamServlet streams) {
        this.rest = rest;
        this.cors = cors;
        this.openApi = openApi;
        this.streams = streams;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (StreamHandler.isStreamPath(request.getPathInfo())) {
            streams.service(request, response);
        } else if (cors.apply(request, response)) {
            // a preflight, answered
        } else if (openApi != null && OpenApiDocument.isRequest(request)) {
            openApi.write(request, response);
        } else {
            rest.handle(request, response);
        }
    }

    @Override
    public void destroy() {
        streams.destroy();
    }
}

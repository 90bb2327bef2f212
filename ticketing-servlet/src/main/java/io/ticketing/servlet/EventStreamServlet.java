package io.ticketing.servlet;

import io.ticketing.servlet.internal.StreamHandler;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Server-Sent Events of live statistics, {@code GET /events/{id}/stream}, and this node's connection
 * statistics, {@code GET /stream/stats}, relative to its mount; any other path is a JSON 404. Needs
 * {@code asyncSupported=true}. Usually reached through {@link RestApiServlet}; obtain it from
 * {@link TicketingHttp#streamServlet()}.
 *
 * <p>A stream holds no thread: it is written with non-blocking servlet I/O from the statistics fan-out
 * and the shared heartbeat scheduler. After {@link TicketingHttp#shutdown()} new streams get
 * {@code 503}. Destroying the servlet shuts its {@link TicketingHttp} down.
 */
public final class EventStreamServlet extends HttpServlet {
    private final transient StreamHandler streams;
    private final transient CorsPolicy cors;
    private final transient TicketingHttp owner;

    EventStreamServlet(StreamHandler streams, CorsPolicy cors, TicketingHttp owner) {
        this.streams = streams;
        this.cors = cors;
        this.owner = owner;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!cors.apply(request, response)) {
            streams.handle(request, response);
        }
    }

    @Override
    public void destroy() {
        owner.shutdown();
    }
}

package io.ticketing.servlet.testing;

import java.net.URI;

/** An embedded servlet container on a loopback port, serving a {@code TicketingHttp} under {@code /api}. */
public interface TestServer extends AutoCloseable {

    /** {@code http://127.0.0.1:<port>/api}, without a trailing slash. */
    URI api();

    /** {@code api()} plus {@code path} (which starts with {@code /}). */
    default URI uri(String path) {
        return URI.create(api() + path);
    }

    /** TCP connections the container holds open now (Tomcat counts one more while it waits to accept). */
    int openConnections();

    /** Stops the container (which shuts the {@code TicketingHttp} down through its hooks). */
    @Override
    void close();
}

package io.ticketing.servlet;

import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;

/** Streams of several events on embedded Jetty. */
class JettyMultiEventStreamHttpIT extends AbstractMultiEventStreamHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return JettyTestServer.start(http);
    }
}

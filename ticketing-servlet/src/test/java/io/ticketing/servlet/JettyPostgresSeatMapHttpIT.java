package io.ticketing.servlet;

import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;

/** The live seat map on the PostgreSQL store, on embedded Jetty. */
class JettyPostgresSeatMapHttpIT extends AbstractPostgresSeatMapHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return JettyTestServer.start(http);
    }
}

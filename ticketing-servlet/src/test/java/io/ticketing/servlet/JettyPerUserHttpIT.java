package io.ticketing.servlet;

import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;

/** A user's own resources on embedded Jetty 12. */
class JettyPerUserHttpIT extends AbstractPerUserHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return JettyTestServer.start(http);
    }
}

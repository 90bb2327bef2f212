package io.ticketing.servlet;

import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;

/** Change history and resumable streams on embedded Jetty 12. */
class JettyChangeHistoryHttpIT extends AbstractChangeHistoryHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return JettyTestServer.start(http);
    }
}

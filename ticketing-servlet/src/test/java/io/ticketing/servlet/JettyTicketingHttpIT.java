package io.ticketing.servlet;

import io.ticketing.servlet.testing.JettyTestServer;
import io.ticketing.servlet.testing.TestServer;

/** The HTTP contract on embedded Jetty 12, mounted with {@code TicketingJetty}. */
class JettyTicketingHttpIT extends AbstractTicketingHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return JettyTestServer.start(http);
    }

    @Override
    boolean keepsTheHeadersOfARequestItRefuses() {
        return false;
    }
}

package io.ticketing.servlet;

import io.ticketing.servlet.testing.TestServer;
import io.ticketing.servlet.testing.TomcatTestServer;

/** The HTTP contract on embedded Tomcat 10.1, registered as {@code docs/embedding.md} shows. */
class TomcatTicketingHttpIT extends AbstractTicketingHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }

    @Override
    boolean keepsTheHeadersOfARequestItRefuses() {
        return true;
    }
}

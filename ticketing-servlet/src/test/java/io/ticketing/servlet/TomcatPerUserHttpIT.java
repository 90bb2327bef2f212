package io.ticketing.servlet;

import io.ticketing.servlet.testing.TestServer;
import io.ticketing.servlet.testing.TomcatTestServer;

/** A user's own resources on embedded Tomcat 10.1. */
class TomcatPerUserHttpIT extends AbstractPerUserHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }
}

package io.ticketing.servlet;

import io.ticketing.servlet.testing.TomcatTestServer;
import io.ticketing.servlet.testing.TestServer;

/** The live seat map on the PostgreSQL store, on embedded Tomcat. */
class TomcatPostgresSeatMapHttpIT extends AbstractPostgresSeatMapHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }
}

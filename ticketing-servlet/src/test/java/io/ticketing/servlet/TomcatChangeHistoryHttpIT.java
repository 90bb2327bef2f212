package io.ticketing.servlet;

import io.ticketing.servlet.testing.TestServer;
import io.ticketing.servlet.testing.TomcatTestServer;

/** Change history and resumable streams on embedded Tomcat 10.1. */
class TomcatChangeHistoryHttpIT extends AbstractChangeHistoryHttpIT {
    @Override
    TestServer start(TicketingHttp http) throws Exception {
        return TomcatTestServer.start(http);
    }
}

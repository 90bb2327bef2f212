/**
 * The HTTP face of ticketing: {@link io.ticketing.servlet.TicketingHttp} and the servlets it builds, and the
 * optional adapters for embedded Jetty 12 ({@code jetty}) and Tomcat 10.1 ({@code tomcat}). Nothing else is
 * exported: {@code internal} is the servlets' implementation, opened to Jackson alone. An adapter needs its
 * container's module, which a host that uses it requires; a host that uses neither needs neither.
 */
module io.ticketing.servlet {
    requires transitive io.ticketing.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static transitive org.jspecify;
    // the adapters' signatures name their container's types; a host that uses one has its container on the path
    requires static transitive org.eclipse.jetty.ee10.servlet;
    requires static transitive org.apache.tomcat.catalina;

    exports io.ticketing.servlet;
    exports io.ticketing.servlet.jetty;
    exports io.ticketing.servlet.tomcat;

    // Jackson reads and writes the request and response bodies, package-private records of the implementation
    opens io.ticketing.servlet.internal to com.fasterxml.jackson.databind;
}

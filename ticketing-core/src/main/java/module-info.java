/**
 * Event ticketing with live seat statistics: the entry point {@link io.ticketing.core.Ticketing}, its
 * services and models, the SPI a host may plug in, and the built-in adapters (in memory, PostgreSQL, Redis).
 * Nothing else is exported; {@code internal} and {@code json} are shared only with the servlet module.
 */
@SuppressWarnings({"module", "requires-automatic"}) // qualified exports to the servlet module; jedis and pgjdbc are automatic modules
module io.ticketing.core {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.sql;
    requires org.slf4j;
    requires static transitive org.jspecify;
    requires static com.zaxxer.hikari;
    requires static redis.clients.jedis;
    requires static org.apache.commons.pool2;
    requires static org.postgresql.jdbc;

    exports io.ticketing.core;
    exports io.ticketing.core.model;
    exports io.ticketing.core.spi;
    exports io.ticketing.core.spi.support;
    exports io.ticketing.core.memory;
    exports io.ticketing.core.jdbc;
    exports io.ticketing.core.redis;
    exports io.ticketing.core.internal to io.ticketing.servlet;
    exports io.ticketing.core.json to io.ticketing.servlet;

    // Jackson reads and writes the model records, here and in the servlet module
    opens io.ticketing.core.model to com.fasterxml.jackson.databind;
}

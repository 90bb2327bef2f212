package io.ticketing.servlet.testing;

import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.tomcat.JsonErrorReportValve;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.nio.file.Files;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 10.1 with the API registered the way {@code docs/embedding.md} shows: the REST servlet
 * under {@code /api/*}, async supported, no processor reuse, and the JSON error report valve.
 */
public final class TomcatTestServer implements TestServer {
    private final Tomcat tomcat;
    private final URI api;

    private TomcatTestServer(Tomcat tomcat, URI api) {
        this.tomcat = tomcat;
        this.api = api;
    }

    /** {@code http} under {@code /api}, its CORS headers on Tomcat's own errors too. */
    public static TomcatTestServer start(TicketingHttp http) throws Exception {
        return start(http.restServlet(), "/api", http);
    }

    /** {@code servlet}, async supported, under {@code prefix/*}; {@link #api()} is then {@code prefix}. */
    public static TomcatTestServer start(Servlet servlet, String prefix) throws Exception {
        return start(servlet, prefix, null);
    }

    private static TomcatTestServer start(Servlet servlet, String prefix, TicketingHttp http) throws Exception {
        // Tomcat logs the first malformed request of a connector at INFO with a stack trace, later ones at
        // DEBUG; the tests send malformed requests on purpose, so all of them go to DEBUG (docs/embedding.md).
        System.setProperty("org.apache.juli.logging.UserDataHelper.CONFIG", "DEBUG_ALL");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ticketing-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.addUpgradeProtocol(new Http2Protocol()); // h2c by upgrade, besides HTTP/1.1
        tomcat.setConnector(connector);
        if (http == null) {
            ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorReportValve.class.getName());
        } else {
            JsonErrorReportValve.install((StandardHost) tomcat.getHost(), http);
        }

        StandardContext context = (StandardContext) tomcat.addContext("", null);
        // Tomcat's class-loader leak checks need --add-opens and are pointless for an embedded test server.
        context.setClearReferencesObjectStreamClassCaches(false);
        context.setClearReferencesRmiTargets(false);
        context.setClearReferencesThreadLocals(false);
        Wrapper wrapper = Tomcat.addServlet(context, "servlet", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded(prefix + "/*", "servlet");

        tomcat.start();
        return new TomcatTestServer(tomcat, URI.create("http://127.0.0.1:" + connector.getLocalPort() + prefix));
    }

    @Override
    public URI api() {
        return api;
    }

    @Override
    public int openConnections() {
        return (int) ((AbstractProtocol<?>) tomcat.getConnector().getProtocolHandler()).getConnectionCount();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the server", e);
        }
    }
}

package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Which way each container gets its frames: on Jetty straight from a {@code ByteBuffer} (no per-stream
 * buffer, no flush), so that a Jetty upgrade that loses the method is noticed; on Tomcat portably.
 */
class FrameOutputIT {
    /** Writes a frame through {@link FrameOutput} and answers whether it needs a flush after it. */
    static final class ProbeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            FrameOutput frames = FrameOutput.of(response.getOutputStream());
            boolean flush = frames.write(("buffered=" + frames.buffered()).getBytes(StandardCharsets.US_ASCII));
            if (flush) {
                response.getOutputStream().flush();
            }
        }
    }

    @Test
    void jettyTakesFramesAsByteBuffersWithoutAFlush() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new ProbeServlet()), "/probe");
        server.setHandler(context);
        server.start();
        try {
            assertEquals("buffered=false", get(connector.getLocalPort()));
        } finally {
            server.stop();
        }
    }

    @Test
    void tomcatTakesFramesThroughItsBufferAndAFlush() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ticketing-tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        StandardContext context = (StandardContext) tomcat.addContext("", null);
        context.setClearReferencesObjectStreamClassCaches(false);
        context.setClearReferencesRmiTargets(false);
        context.setClearReferencesThreadLocals(false);
        Tomcat.addServlet(context, "probe", new ProbeServlet());
        context.addServletMappingDecoded("/probe", "probe");
        tomcat.start();
        try {
            assertEquals("buffered=true", get(connector.getLocalPort()));
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String get(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/probe")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}

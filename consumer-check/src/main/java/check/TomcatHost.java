package check;

import io.ticketing.servlet.TicketingHttp;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/** The whole embedding of the API in plain Tomcat, as a user writes it: under /api, on a free loopback port. */
public final class TomcatHost {
    private TomcatHost() {
    }

    public static Tomcat start(TicketingHttp http) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(java.nio.file.Files.createTempDirectory("consumer-check").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        Wrapper api = Tomcat.addServlet(context, "ticketing", http.restServlet());
        api.setAsyncSupported(true);
        context.addServletMappingDecoded("/api/*", "ticketing");
        tomcat.start();
        return tomcat;
    }
}

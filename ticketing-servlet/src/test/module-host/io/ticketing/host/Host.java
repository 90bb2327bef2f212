package io.ticketing.host;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.jetty.TicketingJetty;
import io.ticketing.servlet.tomcat.JsonErrorReportValve;
import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Reports what the servlet module exports and whether its internals can be reached by reflection, then
 * serves the API under {@code /api} on a loopback port with embedded Jetty, or Tomcat if the argument is
 * {@code tomcat}, until its standard input closes. Every report line starts with {@code host };
 * {@code Authorization: Bearer seller:3} is that user.
 */
public final class Host {
    private Host() {
    }

    public static void main(String[] args) throws Exception {
        Module servlet = TicketingHttp.class.getModule();
        System.out.println("host module " + servlet.getName());
        servlet.getPackages().stream().sorted()
                .forEach(p -> System.out.println("host package " + p + " exported=" + servlet.isExported(p)));
        System.out.println("host internal access " + reachInternals(servlet));

        try (Ticketing ticketing = Ticketing.builder().build()) {
            TicketingHttp http = TicketingHttp.builder(ticketing)
                    .principalResolver(request -> user(request.getHeader("Authorization"))).build();
            if (args[0].equals("tomcat")) {
                Tomcat tomcat = tomcat(http);
                System.out.println("host listening " + tomcat.getConnector().getLocalPort());
                awaitEndOfInput();
                tomcat.stop();
            } else {
                Server server = jetty(http);
                System.out.println("host listening " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
                awaitEndOfInput();
                server.stop();
            }
        }
    }

    private static Server jetty(TicketingHttp http) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        TicketingJetty.mount(context, "/api", http);
        TicketingJetty.answerErrorsAsJson(server);
        server.setHandler(context);
        server.start();
        return server;
    }

    private static Tomcat tomcat(TicketingHttp http) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ticketing-host").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        JsonErrorReportValve.install((StandardHost) tomcat.getHost(), http);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ticketing", http.restServlet()).setAsyncSupported(true);
        context.addServletMappingDecoded("/api/*", "ticketing");
        tomcat.start();
        return tomcat;
    }

    private static void awaitEndOfInput() throws IOException {
        while (System.in.read() >= 0) {
            // serve until the test closes this process's input
        }
    }

    /** Tries to open a constructor of a class of the internal package by reflection: "refused" and the class, or not. */
    private static String reachInternals(Module servlet) throws IOException, ClassNotFoundException {
        List<String> internals;
        try (ModuleReader reader = servlet.getLayer().configuration().findModule(servlet.getName()).orElseThrow()
                .reference().open()) {
            internals = reader.list().filter(n -> n.startsWith("io/ticketing/servlet/internal/") && n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
        }
        for (String name : internals) {
            Constructor<?>[] constructors = Class.forName(name, false, servlet.getClassLoader()).getDeclaredConstructors();
            if (constructors.length > 0) {
                try {
                    constructors[0].setAccessible(true);
                    return "allowed " + name;
                } catch (InaccessibleObjectException e) {
                    return "refused " + name;
                }
            }
        }
        return "found no class in " + internals;
    }

    private static Optional<User> user(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String[] token = authorization.substring("Bearer ".length()).split(":");
        return Optional.of(new User(Long.parseLong(token[1]), Role.valueOf(token[0].toUpperCase(Locale.ROOT))));
    }
}

package io.ticketing.examples;

import io.ticketing.core.internal.Secrets;
import java.io.PrintStream;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ticketing-example.jar [flags]}: starts {@link ExampleServer} with the settings of
 * {@link ExampleConfig} and stops it gracefully on SIGTERM or Ctrl-C. Exit codes: 0 after {@code --help}
 * or a clean stop, 1 when the app cannot start, 2 for a bad flag.
 */
public final class ExampleApp {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    private static final Logger log = LoggerFactory.getLogger(ExampleApp.class);

    private ExampleApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = Arrays.asList(args);
        if (ExampleConfig.wantsHelp(arguments)) {
            System.out.print(ExampleConfig.usage());
            return;
        }
        ExampleConfig config = parseOrNull(arguments, System.getenv(), System.err);
        if (config == null) {
            System.exit(EXIT_USAGE);
        }
        ExampleServer server;
        try {
            server = ExampleServer.start(config);
        } catch (Exception e) {
            log.error("Could not start the example app: {}", startFailure(e, config));
            log.debug("Start-up failure", e);
            System.exit(EXIT_FAILURE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.join();
    }

    /**
     * Why the app could not start, and what to check: a port in use and a host that does not resolve are
     * named as such; other failures come from the store or the broadcaster, and the hint names only the
     * flags that were given.
     */
    static String startFailure(Exception e, ExampleConfig config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "port " + config.port() + " on " + config.host() + " is already in use; stop what uses it or "
                        + "choose another with --port.";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException && t == e) {
                return "--host " + config.host() + " is not an address or a name this machine resolves.";
            }
        }
        List<String> given = new ArrayList<>();
        if (config.jdbcUrl() != null) {
            given.add("--jdbc-url");
        }
        if (config.redisUrl() != null) {
            given.add("--redis-url");
        }
        String message = Secrets.maskUrl(String.valueOf(e.getMessage()));
        return given.isEmpty() ? message : message + ". Check " + String.join(" and ", given) + "; see --help.";
    }

    /** The settings, or null after telling {@code err} what is wrong with them. */
    static ExampleConfig parseOrNull(List<String> args, Map<String, String> env, PrintStream err) {
        try {
            return ExampleConfig.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help to see every flag and its default.");
            return null;
        }
    }
}

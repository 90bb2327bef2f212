package io.ticketing.examples;

import java.io.PrintStream;
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
            log.error("Could not start the example app: {}. Check that the port is free and that the servers of "
                    + "--jdbc-url and --redis-url run; see --help.", e.getMessage());
            log.debug("Start-up failure", e);
            System.exit(EXIT_FAILURE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        server.join();
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

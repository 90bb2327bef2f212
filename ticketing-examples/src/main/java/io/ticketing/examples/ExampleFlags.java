package io.ticketing.examples;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The example app's command line as picocli reads it. A flag that is not given takes its environment variable
 * ({@code --max-streams} → {@code TICKETING_MAX_STREAMS}; an empty one counts as unset); a setting given by
 * neither stays null and {@link ExampleConfig#parse} applies its default.
 */
@Command(name = "java -jar ticketing-example.jar", sortOptions = false, abbreviateSynopsis = true, usageHelpWidth = 110,
        description = {"Starts the ticketing example app: REST + SSE API under /api, a live seat-map page at /,",
                "/health and Prometheus /metrics. A flag wins over its environment variable.", ""})
final class ExampleFlags {
    @Option(names = "--host", paramLabel = "<address>", description = {"interface to listen on; 0.0.0.0 for every one",
            "env TICKETING_HOST, default: " + ExampleConfig.LOOPBACK_HOST + " in demo mode, else " + ExampleConfig.ANY_HOST})
    String host;

    @Option(names = "--port", paramLabel = "<port>", description = {"HTTP port (0 = any free port)",
            "env TICKETING_PORT, default: " + ExampleConfig.DEFAULT_PORT})
    Integer port;

    @Option(names = "--jdbc-url", paramLabel = "<url>", description = {
            "PostgreSQL store, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
            "env TICKETING_JDBC_URL, default: in-memory store"})
    String jdbcUrl;

    @Option(names = "--redis-url", paramLabel = "<url>", description = {
            "Redis pub/sub for statistics across nodes, e.g. redis://127.0.0.1:6379",
            "env TICKETING_REDIS_URL, default: in-process broadcaster"})
    String redisUrl;

    @Option(names = "--redis-store-url", paramLabel = "<url>", description = {
            "Redis store for hot on-sales: redis://[user:password@]host:port[/db], rediss:// for TLS, or a cluster as "
                    + "redis-cluster://host1:port1,host2:port2",
            "env TICKETING_REDIS_STORE_URL, default: in-memory store"})
    String redisStoreUrl;

    @Option(names = "--hold-seconds", paramLabel = "<seconds>", description = {
            "how long a reservation holds its seats (1..86400)",
            "env TICKETING_HOLD_SECONDS, default: " + ExampleConfig.DEFAULT_HOLD_SECONDS})
    Integer holdSeconds;

    @Option(names = "--expiring-lead-seconds", paramLabel = "<seconds>", description = {
            "how long before a hold lapses its buyer is warned on /api/me/stream (0..3600)",
            "env TICKETING_EXPIRING_LEAD_SECONDS, default: " + ExampleConfig.DEFAULT_EXPIRING_LEAD_SECONDS})
    Integer expiringLeadSeconds;

    @Option(names = "--jwt-secret", paramLabel = "<secret>", description = {
            "HS256 secret of bearer tokens, at least " + ExampleConfig.MIN_SECRET_BYTES + " bytes",
            "env TICKETING_JWT_SECRET, default: demo mode"})
    String jwtSecret;

    @Option(names = "--jwt-issuer", paramLabel = "<iss>", description = {"the iss every token must have",
            "env TICKETING_JWT_ISSUER, default: any"})
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "<aud>", description = {"a value every token's aud must contain",
            "env TICKETING_JWT_AUDIENCE, default: any"})
    String jwtAudience;

    @Option(names = "--heartbeat-seconds", paramLabel = "<seconds>", description = {
            "heartbeat on quiet streams (1..3600)",
            "env TICKETING_HEARTBEAT_SECONDS, default: " + ExampleConfig.DEFAULT_HEARTBEAT_SECONDS})
    Integer heartbeatSeconds;

    @Option(names = "--max-streams", paramLabel = "<count>", description = {
            "open SSE streams this node accepts (1..1000000)",
            "env TICKETING_MAX_STREAMS, default: " + ExampleConfig.DEFAULT_MAX_STREAMS})
    Integer maxStreams;

    @Option(names = "--max-streams-per-address", paramLabel = "<count>", description = {
            "open SSE streams one client address may hold (1..max-streams)",
            "env TICKETING_MAX_STREAMS_PER_ADDRESS, default: " + ExampleConfig.DEFAULT_MAX_STREAMS_PER_ADDRESS
                    + " or --max-streams if lower"})
    Integer maxStreamsPerAddress;

    @Option(names = "--trusted-proxies", paramLabel = "<list>", description = {
            "load balancers whose X-Forwarded-For/Forwarded name the client, e.g. 10.0.0.0/8,2001:db8::/32",
            "env TICKETING_TRUSTED_PROXIES, default: none"})
    String trustedProxies;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
    boolean help;

    /** A parser of these flags that falls back on {@code env} for each flag not given. */
    static CommandLine commandLine(ExampleFlags flags, Map<String, String> env) {
        return new CommandLine(flags).setDefaultValueProvider(arg -> {
            if (!(arg instanceof OptionSpec option) || option.usageHelp()) {
                return null;
            }
            String value = env.get(variable(option));
            return value == null || value.isBlank() ? null : value.strip();
        });
    }

    /** {@code --max-streams} → {@code TICKETING_MAX_STREAMS}. */
    static String variable(OptionSpec option) {
        return "TICKETING_" + option.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }
}

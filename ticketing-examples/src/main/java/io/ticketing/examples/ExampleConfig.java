package io.ticketing.examples;

import io.ticketing.core.internal.Secrets;
import io.ticketing.servlet.TicketingHttp;
import io.ticketing.servlet.internal.ClientAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Every setting of the example app, validated once. Each setting comes from a command-line flag, else from
 * its environment variable, else from its default; {@link #parse} reads them (with picocli, through
 * {@link ExampleFlags}) and {@link #usage()} lists them. The compact constructor checks every value, so an
 * instance is always runnable.
 *
 * @param host                 interface to listen on; default {@value #LOOPBACK_HOST} in demo mode (this machine
 *                             only), {@value #ANY_HOST} (every interface) with a JWT secret
 * @param port                 HTTP port, 0 for a free one; default {@value #DEFAULT_PORT}
 * @param jdbcUrl              PostgreSQL JDBC URL for the store, or {@code null} for the in-memory store
 * @param redisUrl             Redis URL for cross-node statistics, or {@code null} for in-process delivery
 * @param redisStoreUrl        Redis (or Redis Cluster) URL for the Redis store, or {@code null}; not with {@code jdbcUrl}
 * @param holdDuration         how long a reservation holds its seats; default 600 s
 * @param expiringLead         how long before a hold lapses {@code /api/me/stream} warns its buyer
 *                             ({@code reservation_expiring}); default 60 s, 0 to 3600 s
 * @param jwtSecret            HS256 secret of the bearer tokens (at least 32 bytes), or {@code null} for demo mode
 * @param jwtIssuer            the {@code iss} every token must have, or {@code null} for any
 * @param jwtAudience          a value every token's {@code aud} must contain, or {@code null} for any
 * @param heartbeatInterval    quiet time after which a stream gets a heartbeat comment; default 5 s, under the 10 s read timeout of common clients such as OkHttp
 * @param maxStreams           open SSE streams this node accepts; default {@value #DEFAULT_MAX_STREAMS}
 * @param maxStreamsPerAddress open SSE streams one client address may hold; default 100, at most {@code maxStreams}
 * @param trustedProxies       proxies (addresses or CIDR blocks) whose {@code Forwarded}/{@code X-Forwarded-For}
 *                             name the client; empty for none
 */
public record ExampleConfig(String host, int port, String jdbcUrl, String redisUrl, String redisStoreUrl, Duration holdDuration,
                            Duration expiringLead, String jwtSecret, String jwtIssuer, String jwtAudience, Duration heartbeatInterval,
                            int maxStreams, int maxStreamsPerAddress, List<String> trustedProxies) {

    /** Where demo mode listens unless {@code --host} says otherwise: this machine only. */
    public static final String LOOPBACK_HOST = "127.0.0.1";
    /** Where the app listens with a JWT secret unless {@code --host} says otherwise: every interface. */
    public static final String ANY_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_HOLD_SECONDS = 600;
    /** The library's own default ({@code TicketingHttp.Builder.DEFAULT_RESERVATION_EXPIRING_LEAD}). */
    public static final int DEFAULT_EXPIRING_LEAD_SECONDS = 60;
    public static final int DEFAULT_HEARTBEAT_SECONDS = 5;
    public static final int DEFAULT_MAX_STREAMS = 20_000;
    public static final int DEFAULT_MAX_STREAMS_PER_ADDRESS = TicketingHttp.Builder.DEFAULT_MAX_STREAMS_PER_ADDRESS;
    /** HS256 needs a key at least as long as its hash (RFC 7518, section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern REDIS_STORE_SCHEMES = Pattern.compile("rediss?(-cluster)?://");

    public ExampleConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(holdDuration, "holdDuration");
        Objects.requireNonNull(expiringLead, "expiringLead");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        trustedProxies = List.copyOf(trustedProxies);
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, was "
                    + Secrets.maskUrl(jdbcUrl));
        }
        if (redisUrl != null) {
            checkRedisUrl(redisUrl);
        }
        if (redisStoreUrl != null) {
            if (jdbcUrl != null) {
                throw new IllegalArgumentException("--jdbc-url and --redis-store-url each choose the store: give one");
            }
            if (!REDIS_STORE_SCHEMES.matcher(redisStoreUrl).lookingAt()) {
                // the URL itself is not repeated: it may hold a password
                throw new IllegalArgumentException("--redis-store-url must start with redis://, rediss://, "
                        + "redis-cluster:// or rediss-cluster://");
            }
        }
        checkSeconds("--hold-seconds", holdDuration, 1, 86_400);
        checkSeconds("--expiring-lead-seconds", expiringLead, 0, 3_600);
        if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("--jwt-secret must be at least " + MIN_SECRET_BYTES
                    + " bytes long (HS256); generate one with: openssl rand -base64 32");
        }
        checkSeconds("--heartbeat-seconds", heartbeatInterval, 1, 3_600);
        if (maxStreams < 1 || maxStreams > 1_000_000) {
            throw new IllegalArgumentException("--max-streams must be between 1 and 1000000, was " + maxStreams);
        }
        if (maxStreamsPerAddress < 1 || maxStreamsPerAddress > maxStreams) {
            throw new IllegalArgumentException("--max-streams-per-address must be between 1 and --max-streams ("
                    + maxStreams + "), was " + maxStreamsPerAddress);
        }
        try {
            ClientAddresses.trusting(trustedProxies); // the library's own check, so that a bad entry is a usage error
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replaceFirst("^trustedProxies", "trusted-proxies"));
        }
    }

    /** Every default: in-memory store, in-process broadcaster, demo mode on 127.0.0.1, port 8080. */
    public static ExampleConfig defaults() {
        return new ExampleConfig(LOOPBACK_HOST, DEFAULT_PORT, null, null, null, Duration.ofSeconds(DEFAULT_HOLD_SECONDS),
                Duration.ofSeconds(DEFAULT_EXPIRING_LEAD_SECONDS), null, null, null, Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS), DEFAULT_MAX_STREAMS,
                DEFAULT_MAX_STREAMS_PER_ADDRESS, List.of());
    }

    /** Whether tokens are signed with a random secret and handed out by {@code POST /api/demo/token}. */
    public boolean demoMode() {
        return jwtSecret == null;
    }

    /**
     * Reads flags ({@code --port 9090} or {@code --port=9090}) over environment variables over defaults.
     * An empty environment variable counts as unset.
     *
     * @throws IllegalArgumentException naming the flag that is unknown, lacks a value or is out of range
     */
    public static ExampleConfig parse(List<String> args, Map<String, String> env) {
        ExampleFlags flags = new ExampleFlags();
        try {
            ExampleFlags.commandLine(flags, env).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int maxStreams = orElse(flags.maxStreams, DEFAULT_MAX_STREAMS);
        String proxies = flags.trustedProxies == null ? "" : flags.trustedProxies;
        return new ExampleConfig(
                flags.host != null ? flags.host : flags.jwtSecret == null ? LOOPBACK_HOST : ANY_HOST,
                orElse(flags.port, DEFAULT_PORT),
                flags.jdbcUrl,
                flags.redisUrl,
                flags.redisStoreUrl,
                Duration.ofSeconds(orElse(flags.holdSeconds, DEFAULT_HOLD_SECONDS)),
                Duration.ofSeconds(orElse(flags.expiringLeadSeconds, DEFAULT_EXPIRING_LEAD_SECONDS)),
                flags.jwtSecret,
                flags.jwtIssuer,
                flags.jwtAudience,
                Duration.ofSeconds(orElse(flags.heartbeatSeconds, DEFAULT_HEARTBEAT_SECONDS)),
                maxStreams,
                orElse(flags.maxStreamsPerAddress, Math.min(DEFAULT_MAX_STREAMS_PER_ADDRESS, maxStreams)),
                proxies.isBlank() ? List.of() : List.of(proxies.strip().split("\\s*,\\s*")));
    }

    /** The settings without their secrets: the JWT secret and any password in the URLs are masked. */
    @Override
    public String toString() {
        return "ExampleConfig[host=" + host + ", port=" + port + ", jdbcUrl=" + Secrets.maskUrl(jdbcUrl)
                + ", redisUrl=" + Secrets.maskUrl(redisUrl) + ", redisStoreUrl=" + Secrets.maskUrl(redisStoreUrl)
                + ", holdDuration=" + holdDuration + ", expiringLead=" + expiringLead
                + ", jwtSecret=" + (jwtSecret == null ? null : Secrets.MASK) + ", jwtIssuer=" + jwtIssuer
                + ", jwtAudience=" + jwtAudience + ", heartbeatInterval=" + heartbeatInterval
                + ", maxStreams=" + maxStreams + ", maxStreamsPerAddress=" + maxStreamsPerAddress
                + ", trustedProxies=" + trustedProxies + "]";
    }

    /** Whether the arguments ask for the usage text; false if they cannot be parsed. */
    public static boolean wantsHelp(List<String> args) {
        CommandLine commandLine = ExampleFlags.commandLine(new ExampleFlags(), Map.of());
        try {
            commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return false;
        }
        return commandLine.isUsageHelpRequested();
    }

    /** The text of {@code --help}: every flag with its environment variable and default. */
    public static String usage() {
        return ExampleFlags.commandLine(new ExampleFlags(), Map.of()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static int orElse(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void checkSeconds(String flag, Duration value, long min, long max) {
        long seconds = value.toSeconds();
        if (seconds < min || seconds > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + seconds);
        }
    }

    private static void checkRedisUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--redis-url must look like redis://host:6379, was "
                        + Secrets.maskUrl(url));
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--redis-url is not a URL (" + e.getReason() + " at index "
                    + e.getIndex() + "): " + Secrets.maskUrl(url));
        }
    }
}

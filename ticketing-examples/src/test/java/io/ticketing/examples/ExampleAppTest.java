package io.ticketing.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleAppTest {
    private static ExampleConfig config(String... args) {
        return ExampleConfig.parse(List.of(args), Map.of());
    }

    @Test
    void aPortInUseAndAnUnresolvedHostAreNamed() {
        assertEquals("port 8080 on 127.0.0.1 is already in use; stop what uses it or choose another with --port.",
                ExampleApp.startFailure(new IOException("Failed to bind", new BindException("Address already in use")),
                        config()));
        IOException unresolved = new IOException("Failed to bind");
        unresolved.initCause(new UnresolvedAddressException());
        assertEquals("--host lb is not an address or a name this machine resolves.",
                ExampleApp.startFailure(unresolved, config("--host", "lb")));
    }

    @Test
    void theHintNamesOnlyTheBackendFlagsGivenAndMasksPasswords() {
        IllegalStateException failure = new IllegalStateException("PostgreSQL at jdbc:postgresql://db/t?password=x "
                + "has no such database");
        assertEquals("PostgreSQL at jdbc:postgresql://db/t?password=**** has no such database. Check --jdbc-url; "
                + "see --help.", ExampleApp.startFailure(failure, config("--jdbc-url", "jdbc:postgresql://db/t")));
        assertEquals("PostgreSQL at jdbc:postgresql://db/t?password=**** has no such database. Check --jdbc-url and "
                + "--redis-url; see --help.", ExampleApp.startFailure(failure,
                config("--jdbc-url", "jdbc:postgresql://db/t", "--redis-url", "redis://h:6379")));
        assertEquals("broken", ExampleApp.startFailure(new IllegalStateException("broken"), config()));
    }
}

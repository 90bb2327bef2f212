package io.ticketing.core.redis;

import java.time.Duration;
import java.util.regex.Pattern;

/** The checks the Redis builders share; each throws {@link IllegalArgumentException} naming the setting. */
final class SettingChecks {
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private SettingChecks() {
    }

    static void clientName(String clientName) {
        if (!CLIENT_NAME.matcher(clientName).matches()) {
            throw new IllegalArgumentException("clientName must be 1 to 64 of [A-Za-z0-9._:-], was '" + clientName + "'");
        }
    }

    static void between(String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    static void between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}

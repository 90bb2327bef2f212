package io.ticketing.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load, printed with a benchmark's result: figures on a shared machine depend on it. */
final class LoadAverage {
    private LoadAverage() {
    }

    /** {@code load average} and the line of {@code /proc/loadavg}, or that it is unknown. */
    static String describe() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "load average unknown";
        }
    }
}

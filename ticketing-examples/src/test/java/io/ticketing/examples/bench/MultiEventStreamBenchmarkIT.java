package io.ticketing.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiEventStreamBenchmark} end to end at a tiny scale (a server process, 20 streams per variant, 5 events,
 * one round of 2 s): every phase runs and measures, and every stream ends on its events' final versions. Checks
 * what the report states, not how fast.
 */
class MultiEventStreamBenchmarkIT {

    @Test
    void everyVariantDeliversAndEndsOnTheFinalVersions() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        List<MultiEventStreamBenchmark.Phase> phases = MultiEventStreamBenchmark.run(
                new MultiEventStreamBenchmark.Settings(20, 5, 3, List.of("multi", "single", "lobby"), 1, 1, 2, 100, 2,
                        List.of("-Xmx256m"), 15, 1000), out);
        MultiEventStreamBenchmark.summarize(phases, out);
        String report = printed.toString(StandardCharsets.UTF_8);

        assertEquals(List.of("changes", "multi", "single", "lobby"),
                phases.stream().map(MultiEventStreamBenchmark.Phase::variant).toList(), report);
        MultiEventStreamBenchmark.Phase changes = phases.get(0);
        assertTrue(changes.changes() > 0 && changes.failedChanges() == 0, report);
        for (MultiEventStreamBenchmark.Phase p : phases.subList(1, phases.size())) {
            assertEquals(20, p.streams(), report);
            assertEquals(0, p.refused(), report);
            assertEquals(0, p.behind(), p.variant() + " streams not on the final versions: " + report);
            assertTrue(p.frames() > 0 && p.changes() > 0 && p.failedChanges() == 0, report);
            assertTrue(p.serverCores() >= 0 && p.microsPerFrame() >= 0, report);
        }
        assertTrue(report.contains("multi / single, CPU per frame, by round: "), report);
        assertTrue(report.contains("lobby / single, CPU per frame, by round: "), report);
    }
}

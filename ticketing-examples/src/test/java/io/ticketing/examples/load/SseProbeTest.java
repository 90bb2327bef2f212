package io.ticketing.examples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SseProbeTest {
    private static final String DATA_7 = "{\"version\":7,\"remainingTickets\":" + "9".repeat(40) + "}";
    private static final String DATA_9 = "{\"version\":9,\"remainingTickets\":12}";
    private static final String STREAM = "retry: 3000\n\n"
            + "event: initial_status\nid: 5\ndata: {\"version\":5}\n\n"
            + ": heartbeat\n\n"
            + "event: status_update\nid: 7\ndata: " + DATA_7 + "\n\n"
            + "event: status_update\nid: 9\ndata: " + DATA_9 + "\n\n";

    @Test
    void readsVersionsAndTheLastDataLineHoweverTheBytesAreSplit() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            List<Long> updates = new ArrayList<>();
            CountDownLatch initial = new CountDownLatch(1);
            SseProbe probe = new SseProbe(updates::add, initial, true);
            assertNull(probe.lastData());
            probe.onBody(bytes, 0, split, 0);
            probe.onBody(Arrays.copyOfRange(bytes, split, bytes.length), 0, bytes.length - split, 0);

            assertEquals(0, initial.getCount(), "split at " + split);
            assertEquals(5, probe.initialVersion, "split at " + split);
            assertEquals(List.of(7L, 9L), updates, "split at " + split);
            assertEquals(9, probe.lastVersion);
            assertEquals(DATA_9, probe.lastData(), "split at " + split);
            assertFalse(probe.failed);
        }
    }

    @Test
    void keepsNoDataUnlessAsked() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        SseProbe probe = new SseProbe(version -> { }, new CountDownLatch(1), false);
        probe.onBody(bytes, 0, bytes.length, 0);
        assertEquals(9, probe.lastVersion);
        assertNull(probe.lastData());
    }

    @Test
    void findsTheFirstNewlineAtEveryOffsetWithinTheRange() {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                byte[] bytes = new byte[length + 2];
                Arrays.fill(bytes, (byte) 'x');
                bytes[0] = '\n'; // before the range: must be ignored
                if (at < length) {
                    bytes[1 + at] = '\n';
                    if (at + 1 < length) {
                        bytes[2 + at] = '\n'; // a later one must not win
                    }
                }
                bytes[length + 1] = '\n'; // after the range: must be ignored
                int expected = 1 + at; // == to when there is none
                assertEquals(expected, SseProbe.indexOfNewline(bytes, 1, 1 + length), "length " + length + ", at " + at);
            }
        }
        byte[] nearMisses = {'\n' + 1, '\n' - 1, (byte) 0x8a, 0x0b, 0x09, (byte) 0xff, 0, 1, '\n'};
        assertEquals(8, SseProbe.indexOfNewline(nearMisses, 0, nearMisses.length));
        assertEquals(8, SseProbe.indexOfNewline(nearMisses, 0, 8)); // none in the range: its end
    }
}

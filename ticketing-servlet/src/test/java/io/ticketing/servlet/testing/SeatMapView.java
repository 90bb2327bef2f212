package io.ticketing.servlet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What a seat-map UI does with a {@code ?seats=} stream: applies every {@code seat_map} and
 * {@code seat_changes} in the order received, and checks the stream's rules as it goes — {@code id:}s
 * never decrease, only the last frame of a version carries its id, and no frame goes back to an older
 * version of a subsection.
 */
public final class SeatMapView {
    private final SseRecorder sse;
    private final Map<String, char[]> seats = new HashMap<>();
    private final Map<String, Integer> cols = new HashMap<>();
    private final Map<String, Long> shownVersion = new HashMap<>();
    private long lastId = Long.MIN_VALUE;
    /** The version of frames seen since the last {@code id:}, or MIN_VALUE if none. */
    private long openVersion = Long.MIN_VALUE;

    public SeatMapView(SseRecorder sse) {
        this.sse = sse;
    }

    /** Reads events until one with {@code id:} of at least {@code version} has been applied. */
    public void readUntil(long version, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastId < version) {
            apply(sse.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
    }

    /** Applies one event, checking the rules above. */
    public void apply(SseRecorder.Message m) throws IOException {
        JsonNode data = SseRecorder.json(m);
        long version = data.get("version").asLong();
        assertTrue(version >= lastId, "version " + version + " after id " + lastId + ": " + m);
        if (openVersion != Long.MIN_VALUE) {
            assertEquals(openVersion, version, "a frame of another version before the id of " + openVersion + ": " + m);
        }
        if (!m.idLine()) {
            openVersion = version;
        } else {
            assertEquals(version, SseRecorder.versionOf(m.id()), "id of " + m);
            lastId = version;
            openVersion = Long.MIN_VALUE;
        }
        switch (m.event()) {
            case "seat_map" -> {
                String key = data.get("section").asText() + ":" + data.get("subsection").asInt();
                checkNotOlder(key, version);
                String codes = data.get("seats").asText();
                assertEquals(data.get("rows").asInt() * data.get("cols").asInt(), codes.length(), m.data());
                seats.put(key, codes.toCharArray());
                cols.put(key, data.get("cols").asInt());
            }
            case "seat_changes" -> {
                for (JsonNode c : data.get("changes")) {
                    String key = c.get("section").asText() + ":" + c.get("subsection").asInt();
                    char[] map = seats.get(key);
                    assertNotNull(map, "seat_changes of " + key + " before its seat_map: " + m);
                    checkNotOlder(key, version);
                    int index = (c.get("row").asInt() - 1) * cols.get(key) + c.get("seat").asInt() - 1;
                    map[index] = c.get("status").asText().charAt(0);
                }
            }
            case "initial_status", "status_update" -> assertNull(data.get("changes"));
            default -> throw new AssertionError("unexpected event " + m);
        }
    }

    private void checkNotOlder(String key, long version) {
        Long shown = shownVersion.put(key, version);
        assertTrue(shown == null || shown <= version, key + " at version " + version + " after " + shown);
    }

    /** The seats of {@code section:subsection} as shown now (one character per seat), or null before its map. */
    public String seats(String key) {
        char[] map = seats.get(key);
        return map == null ? null : new String(map);
    }

    public long lastId() {
        return lastId;
    }

    /** The seats endpoint's answer ({@code {"seats":[{"status":…},…]}}) as one character per seat. */
    public static String codes(JsonNode seatsResponse) {
        StringBuilder codes = new StringBuilder();
        for (JsonNode seat : seatsResponse.get("seats")) {
            codes.append(seat.get("status").asText().charAt(0));
        }
        return codes.toString();
    }
}

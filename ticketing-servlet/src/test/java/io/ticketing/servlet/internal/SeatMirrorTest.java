package io.ticketing.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.servlet.internal.EncodedUpdate.SeatFrames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeatMirrorTest {
    private static final ObjectMapper MAPPER = TicketingJson.newObjectMapper();
    private static final SubsectionKey A1 = new SubsectionKey("A", 1);

    private static final StreamIds IDS = new StreamIds("e1");
    private final SeatMirror mirror = new SeatMirror(12, A1);

    private static SeatChange change(String section, int row, int seat, SeatStatus status) {
        return new SeatChange(section, 1, row, seat, status);
    }

    private static String text(SharedFrame frame) {
        return new String(frame.bytes(true), StandardCharsets.UTF_8);
    }

    @Test
    void changesOfTheNextVersionsAreMergedPerSeatIntoOneFrameFromTheLastRelease() {
        mirror.load(new SeatMap(12, 5, "A", 1, 2, 3, "aaaaaa"));
        assertFalse(mirror.stale());
        SeatFrames first = mirror.release(MAPPER, IDS);
        assertEquals(Long.MIN_VALUE, first.fromVersion(), "after a load, only the map");
        assertNull(first.changes());

        mirror.advance(6, List.of(change("A", 1, 2, SeatStatus.RESERVED), change("B", 1, 1, SeatStatus.RESERVED)));
        mirror.advance(7, List.of(change("A", 1, 2, SeatStatus.SOLD), change("A", 2, 3, SeatStatus.RESERVED)));
        SeatFrames frames = mirror.release(MAPPER, IDS);
        assertEquals(5, frames.fromVersion());
        assertEquals("id: 7-e1\nevent: seat_changes\ndata: {\"eventId\":12,\"version\":7,\"changes\":["
                + "{\"section\":\"A\",\"subsection\":1,\"row\":1,\"seat\":2,\"status\":\"sold\"},"
                + "{\"section\":\"A\",\"subsection\":1,\"row\":2,\"seat\":3,\"status\":\"reserved\"}]}\n\n",
                text(frames.changes()));
        assertEquals("id: 7-e1\nevent: seat_map\ndata: {\"eventId\":12,\"version\":7,\"section\":\"A\",\"subsection\":1,"
                + "\"rows\":2,\"cols\":3,\"seats\":\"asaaar\"}\n\n", text(frames.map()));
        assertSame(frames, mirror.release(MAPPER, IDS), "a second release of a version shares its frames");

        mirror.advance(8, List.of(change("B", 1, 1, SeatStatus.SOLD)));
        SeatFrames untouched = mirror.release(MAPPER, IDS);
        assertEquals(7, untouched.fromVersion());
        assertNull(untouched.changes(), "no seat of the subsection changed");
    }

    @Test
    void aVersionItCannotAccountForMakesItStale() {
        mirror.load(new SeatMap(12, 5, "A", 1, 2, 3, "aaaaaa"));
        mirror.advance(5, null);
        mirror.advance(4, List.of());
        assertFalse(mirror.stale(), "versions it has are ignored");
        mirror.advance(7, List.of());
        assertTrue(mirror.stale(), "6 was skipped");

        mirror.load(new SeatMap(12, 9, "A", 1, 2, 3, "aaaaaa"));
        mirror.advance(10, null);
        assertTrue(mirror.stale(), "changes of 10 unknown");
    }

    @Test
    void aStaleMirrorCatchesUpFromTheLogWithEveryMissedVersionAndSendsThemAsChanges() {
        mirror.load(new SeatMap(12, 5, "A", 1, 2, 3, "aaaaaa"));
        mirror.release(MAPPER, IDS);
        mirror.advance(7, List.of(change("A", 1, 1, SeatStatus.RESERVED))); // 6 handed over after 7
        assertTrue(mirror.stale());
        assertTrue(mirror.loaded());
        assertEquals(5, mirror.version(), "it keeps the seats of the last version it accounted for");
        mirror.advance(8, List.of(change("A", 2, 1, SeatStatus.RESERVED)));
        assertEquals(5, mirror.version(), "a stale mirror takes no change");

        List<LoggedChange> log = List.of(logged(6, change("A", 1, 2, SeatStatus.RESERVED)),
                logged(7, change("A", 1, 1, SeatStatus.RESERVED)),
                logged(8, change("A", 2, 1, SeatStatus.RESERVED), change("B", 1, 1, SeatStatus.SOLD)),
                logged(9, change("A", 1, 2, SeatStatus.SOLD)));
        assertTrue(mirror.catchUp(log, 8));
        assertFalse(mirror.stale());
        assertEquals(8, mirror.version(), "caught up to the newest snapshot, not past it");
        SeatFrames frames = mirror.release(MAPPER, IDS);
        assertEquals(5, frames.fromVersion());
        assertEquals("id: 8-e1\nevent: seat_changes\ndata: {\"eventId\":12,\"version\":8,\"changes\":["
                + "{\"section\":\"A\",\"subsection\":1,\"row\":1,\"seat\":1,\"status\":\"reserved\"},"
                + "{\"section\":\"A\",\"subsection\":1,\"row\":1,\"seat\":2,\"status\":\"reserved\"},"
                + "{\"section\":\"A\",\"subsection\":1,\"row\":2,\"seat\":1,\"status\":\"reserved\"}]}\n\n",
                text(frames.changes()));
        mirror.advance(9, List.of(change("A", 1, 2, SeatStatus.SOLD)));
        assertEquals("id: 9-e1\nevent: seat_map\ndata: {\"eventId\":12,\"version\":9,\"section\":\"A\",\"subsection\":1,"
                + "\"rows\":2,\"cols\":3,\"seats\":\"rsaraa\"}\n\n", text(mirror.release(MAPPER, IDS).map()));
    }

    @Test
    void aLogThatLacksAVersionLeavesItStaleForARead() {
        mirror.load(new SeatMap(12, 5, "A", 1, 2, 3, "aaaaaa"));
        mirror.advance(7, List.of());
        assertFalse(mirror.catchUp(List.of(logged(7, change("A", 1, 1, SeatStatus.RESERVED))), 7), "6 is missing");
        assertTrue(mirror.stale());
        assertFalse(mirror.catchUp(List.of(logged(6)), 7), "the log ends before the newest snapshot");
        assertTrue(mirror.stale());

        SeatMirror never = new SeatMirror(12, A1);
        assertFalse(never.loaded());
        assertFalse(never.catchUp(List.of(logged(1)), 1), "a mirror never loaded has nothing to catch up from");
    }

    private static LoggedChange logged(long version, SeatChange... seats) {
        return new LoggedChange(version, ChangeType.TICKET_RESERVED, "buyer:1", Instant.EPOCH, List.of(seats));
    }

    @Test
    void pastTheBoundOfChangesAReleaseSendsOnlyTheMap() {
        mirror.load(new SeatMap(12, 1, "A", 1, 25, 20, "a".repeat(500)));
        mirror.release(MAPPER, IDS);
        List<SeatChange> many = new ArrayList<>();
        for (int seat = 1; seat <= 9; seat++) { // max(8, 500 / 64) = 8
            many.add(change("A", 1, seat, SeatStatus.RESERVED));
        }
        mirror.advance(2, many);
        SeatFrames frames = mirror.release(MAPPER, IDS);
        assertEquals(Long.MIN_VALUE, frames.fromVersion());
        assertNull(frames.changes());
        assertTrue(text(frames.map()).contains("\"seats\":\"rrrrrrrrra"));
    }
}

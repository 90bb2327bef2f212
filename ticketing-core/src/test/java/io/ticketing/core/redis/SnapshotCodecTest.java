package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.ChangeType;
import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SubsectionStatistics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
    private final SnapshotCodec codec = new SnapshotCodec("event_state_updates:", "node-a");

    private static EventStatistics gala() {
        return new EventStatistics(12, 57, EventStatus.AVAILABLE, 1000, 930, 20, 50,
                List.of(new SubsectionStatistics("A", 1, 2000, 500, 480, 10, 10),
                        new SubsectionStatistics("A", 2, 2000, 500, 450, 10, 40)),
                new LastEvent(ChangeType.TICKET_CONFIRMED, "buyer:7", 2, Instant.parse("2026-11-22T14:03:07.123Z")),
                Instant.parse("2026-11-22T14:03:07.123Z"));
    }

    @Test
    void channelIsPrefixAndEventIdAndThePatternMatchesEveryEvent() {
        assertEquals("event_state_updates:12", codec.channel(12));
        assertEquals("event_state_updates:*", codec.pattern());
    }

    @Test
    void aSnapshotSurvivesTheRoundTripUnchanged() {
        EventStatistics statistics = gala();
        assertEquals(new SnapshotUpdate(statistics, null),
                codec.decode("event_state_updates:12", codec.encode(new SnapshotUpdate(statistics, null))));
    }

    @Test
    void seatChangesTravelWithTheirSnapshotInAboutTwentyBytesASeat() {
        SnapshotUpdate update = new SnapshotUpdate(gala(), List.of(new SeatChange("A", 1, 3, 7, SeatStatus.RESERVED),
                new SeatChange("A", 2, 25, 20, SeatStatus.SOLD), new SeatChange("A", 1, 1, 1, SeatStatus.AVAILABLE)));
        String message = codec.encode(update);
        assertTrue(message.endsWith("\n[[\"A\",1,3,7,\"r\"],[\"A\",2,25,20,\"s\"],[\"A\",1,1,1,\"a\"]]"), message);
        assertEquals(update, codec.decode("event_state_updates:12", message));
        SnapshotUpdate statusChange = new SnapshotUpdate(gala(), List.of());
        assertEquals(statusChange, codec.decode("event_state_updates:12", codec.encode(statusChange)));
        String json = codec.encode(new SnapshotUpdate(gala(), null));
        for (String seats : List.of("{}", "[[\"A\",1,3]]", "[[\"A\",1,3,7,\"x\"]]", "[[1,1,3,7,\"a\"]]", "nope")) {
            assertThrows(IllegalArgumentException.class, () -> codec.decode("event_state_updates:12", json + "\n" + seats),
                    seats);
        }
    }

    @Test
    void theWireFormatIsTheNodeIdAndTheApiStatisticsJson() {
        String json = codec.encode(new SnapshotUpdate(gala(), null));
        assertTrue(json.startsWith("node-a {\"eventId\":12,\"version\":57,\"status\":\"available\""), json);
        assertTrue(json.contains("\"lastEvent\":{\"type\":\"ticket.confirmed\",\"actor\":\"buyer:7\""), json);
        assertTrue(json.contains("\"timestamp\":\"2026-11-22T14:03:07.123Z\""), json);
    }

    @Test
    void aMessageThatIsNoSnapshotIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> codec.decode("event_state_updates:12", "hello"));
        assertThrows(IllegalArgumentException.class, () -> codec.decode("event_state_updates:12", "{\"eventId\":12,\"bogus\":1}"));
    }

    @Test
    void aNodeRecognisesItsOwnMessagesAndDecodesOtherNodesAndUntaggedOnes() {
        SnapshotCodec other = new SnapshotCodec("event_state_updates:", "node-b");
        String mine = codec.encode(new SnapshotUpdate(gala(), null));
        String theirs = other.encode(new SnapshotUpdate(gala(), null));
        assertTrue(codec.isOwn(mine));
        assertFalse(codec.isOwn(theirs));
        assertFalse(new SnapshotCodec("event_state_updates:", "node").isOwn(mine), "a prefix of an id is not the id");
        assertEquals(gala(), codec.decode("event_state_updates:12", theirs).statistics());
        String untagged = theirs.substring("node-b ".length());
        assertFalse(codec.isOwn(untagged));
        assertEquals(gala(), codec.decode("event_state_updates:12", untagged).statistics());
    }

    @Test
    void aNodeIdWithWhitespaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotCodec("p:", "node a"));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotCodec("p:", ""));
    }

    @Test
    void aSnapshotOnAnotherEventsChannelIsRejected() {
        String json = codec.encode(new SnapshotUpdate(gala(), null));
        assertThrows(IllegalArgumentException.class, () -> codec.decode("event_state_updates:13", json));
    }
}

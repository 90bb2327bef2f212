package io.ticketing.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DatabindException;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import java.util.List;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Timestamps are formatted exactly as the ISO-8601 pattern with milliseconds would, cache or not; a value of
 * the wrong JSON type is refused, never converted.
 */
class TicketingJsonTest {
    private static final ObjectMapper MAPPER = TicketingJson.newObjectMapper();
    private static final String DRAFT = """
            {"name": "Gala", "description": "d", "venueName": "v", "status": "draft",
             "seatingConfig": {"rows": 2, "cols": 3, "sections": [{"name": "A", "price": 100, "subsections": 1}]}}""";
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatMatchesTheIsoPatternWithMilliseconds() {
        assertEquals("2026-11-22T14:03:07.123Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.123456Z")));
        assertEquals("2026-11-22T14:03:07.005Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.005Z")));
        assertEquals("2026-11-22T14:03:07.050Z", TicketingJson.format(Instant.parse("2026-11-22T14:03:07.050Z")));
        assertEquals("1969-12-31T23:59:59.999Z", TicketingJson.format(Instant.ofEpochMilli(-1)));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            // seconds close together (so that cached seconds are reused) and far apart
            long second = i % 2 == 0 ? 1_800_000_000L + random.nextInt(100) : random.nextLong(-10_000_000_000L, 200_000_000_000L);
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(instant), TicketingJson.format(instant), instant.toString());
        }
    }

    @Test
    void valuesOfTheRightTypeAreRead() throws Exception {
        EventDraft draft = MAPPER.readValue(DRAFT, EventDraft.class);
        assertEquals(100, draft.seatingConfig().sections().get(0).price());
        assertEquals(List.of(new SeatRef("A", 1, 2, 3)), MAPPER.readValue(
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 2, \"seat\": 3}]}",
                ReservationRequest.Seats.class).seats());
        assertEquals(List.of(), MAPPER.readValue("{\"seats\": []}", ReservationRequest.Seats.class).seats());
        assertEquals(false, MAPPER.readValue("{\"active\": false}", EventPatch.class).active());
    }

    @Test
    void aValueOfAnotherJsonTypeIsRefusedNotConverted() {
        String[][] wrong = {
                {"\"name\": \"Gala\"", "\"name\": 5"},
                {"\"name\": \"Gala\"", "\"name\": true"},
                {"\"name\": \"Gala\"", "\"name\": 1.5"},
                {"\"name\": \"Gala\"", "\"name\": {}"},
                {"\"name\": \"Gala\"", "\"name\": [\"Gala\"]"},
                {"\"description\": \"d\"", "\"description\": 0"},
                {"\"status\": \"draft\"", "\"status\": 0"},
                {"\"rows\": 2", "\"rows\": \"2\""},
                {"\"rows\": 2", "\"rows\": 2.0"},
                {"\"rows\": 2", "\"rows\": true"},
                {"\"rows\": 2", "\"rows\": \"\""},
                {"\"rows\": 2", "\"rows\": [2]"},
                {"\"price\": 100", "\"price\": 1e2"},
                {"\"price\": 100", "\"price\": \"100\""},
                {"\"sections\": [", "\"sections\": {\"x\": ["},
                {"\"seatingConfig\": {", "\"seatingConfig\": \"\", \"x\": {"},
                {"\"name\": \"A\"", "\"name\": 65"},
        };
        for (String[] change : wrong) {
            String json = DRAFT.replace(change[0], change[1]);
            assertThrows(DatabindException.class, () -> MAPPER.readValue(json, EventDraft.class), json);
        }
        for (String json : new String[] {"{\"section\": 1, \"subsection\": 1, \"quantity\": 2}",
                "{\"section\": \"A\", \"subsection\": \"1\", \"quantity\": 2}",
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2.5}",
                "{\"seats\": {}}", "{\"seats\": \"\"}", "{\"seats\": [1]}",
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": \"2\", \"seat\": 3}]}"}) {
            Class<?> form = json.contains("seats") ? ReservationRequest.Seats.class : ReservationRequest.BestAvailable.class;
            assertThrows(DatabindException.class, () -> MAPPER.readValue(json, form), json);
        }
        for (String json : new String[] {"{\"active\": 0}", "{\"active\": \"false\"}", "{\"status\": true}"}) {
            assertThrows(DatabindException.class, () -> MAPPER.readValue(json, EventPatch.class), json);
        }
    }
}

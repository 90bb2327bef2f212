package io.ticketing.core.testing;

import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.util.List;

/** Event drafts for tests. */
public final class Drafts {
    private Drafts() {
    }

    /** {@code rows × cols} seats in each of the given sections, each with one subsection, price 1000. */
    public static EventDraft available(String name, int rows, int cols, String... sections) {
        List<Section> list = java.util.Arrays.stream(sections.length == 0 ? new String[] {"A"} : sections)
                .map(s -> new Section(s, 1000, 1)).toList();
        return new EventDraft(name, null, null, EventStatus.AVAILABLE, new SeatingConfig(rows, cols, list));
    }

    /** Section A (price 2000, 2 subsections) and B (price 500, 1 subsection), 3 rows × 4 seats: 36 seats. */
    public static EventDraft gala() {
        return new EventDraft("Spring Gala", "An evening", "Main Hall", EventStatus.AVAILABLE,
                new SeatingConfig(3, 4, List.of(new Section("A", 2000, 2), new Section("B", 500, 1))));
    }

    public static EventDraft draftStatus(EventDraft d) {
        return new EventDraft(d.name(), d.description(), d.venueName(), EventStatus.DRAFT, d.seatingConfig());
    }
}

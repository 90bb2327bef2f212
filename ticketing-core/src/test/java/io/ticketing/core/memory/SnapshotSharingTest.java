package io.ticketing.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.model.User;
import io.ticketing.core.testing.Drafts;
import org.junit.jupiter.api.Test;

/** A change of one subsection builds one new subsection record; the others are shared with the last snapshot. */
class SnapshotSharingTest {
    @Test
    void theUnchangedSubsectionsKeepTheirRecords() {
        try (Ticketing ticketing = Ticketing.builder().build()) {
            long id = ticketing.events().create(User.seller(3), Drafts.gala()).id();
            EventStatistics before = ticketing.statistics().current(id, null);
            ticketing.reservations().reserve(id, ReservationRequest.seats(new SeatRef("A", 2, 1, 1)), null,
                    User.buyer(7));
            EventStatistics after = ticketing.statistics().current(id, null);

            assertEquals(before.sections().size(), after.sections().size());
            for (int i = 0; i < after.sections().size(); i++) {
                SubsectionStatistics was = before.sections().get(i);
                SubsectionStatistics is = after.sections().get(i);
                if (is.section().equals("A") && is.subsection() == 2) {
                    assertNotSame(was, is);
                    assertEquals(was.remaining() - 1, is.remaining());
                    assertEquals(was.allocated() + 1, is.allocated());
                } else {
                    assertSame(was, is, is.section() + "-" + is.subsection());
                }
            }
        }
    }
}

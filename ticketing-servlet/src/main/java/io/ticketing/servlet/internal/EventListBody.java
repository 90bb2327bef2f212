package io.ticketing.servlet.internal;

import java.util.List;

/** {@code GET /events}: one page of events and the cursor of the next, null on the last page. */
record EventListBody(List<EventBody> items, String nextCursor) {
}

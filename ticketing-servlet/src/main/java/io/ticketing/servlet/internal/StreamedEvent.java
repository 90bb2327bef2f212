package io.ticketing.servlet.internal;

import java.util.List;

/**
 * One event a stream carries, and the subsections whose seats it streams of it (empty: statistics only).
 * Each of them, and the event itself, is one topic of the stream ({@code TicketingHttp.Builder#maxTopicsPerStream}).
 */
record StreamedEvent(long eventId, List<SubsectionKey> seats) {
    StreamedEvent {
        seats = List.copyOf(seats);
    }

    /** The topics it adds to its stream: the event and each named subsection. */
    int topics() {
        return 1 + seats.size();
    }
}

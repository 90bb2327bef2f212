package io.ticketing.core.memory;

import io.ticketing.core.model.Reservation;

/**
 * A reservation with the grid indexes of its seats. Its view is replaced in place when its status
 * changes, with its event's lock held, so that a change costs no map update; it is readable without the lock.
 */
final class StoredReservation {
    final int[] seatIndexes;
    private volatile Reservation view;

    StoredReservation(Reservation view, int[] seatIndexes) {
        this.view = view;
        this.seatIndexes = seatIndexes;
    }

    Reservation view() {
        return view;
    }

    /** Called with the event's lock held. */
    void update(Reservation newView) {
        view = newView;
    }
}

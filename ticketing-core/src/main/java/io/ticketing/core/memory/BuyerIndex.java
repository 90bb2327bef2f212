package io.ticketing.core.memory;

import io.ticketing.core.spi.ReservationPosition;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Each buyer's reservation ids in list order, so that listing a buyer's reservations reads only theirs.
 * Thread-safe; a buyer with no reservation left takes no room.
 */
final class BuyerIndex {
    private final ConcurrentHashMap<Long, NavigableSet<ReservationPosition>> byBuyer = new ConcurrentHashMap<>();

    void add(long buyerId, Instant createdAt, String id) {
        byBuyer.computeIfAbsent(buyerId, b -> new ConcurrentSkipListSet<>())
                .add(new ReservationPosition(ReservationPosition.micros(createdAt), id));
    }

    void remove(long buyerId, Instant createdAt, String id) {
        byBuyer.computeIfPresent(buyerId, (b, set) -> {
            set.remove(new ReservationPosition(ReservationPosition.micros(createdAt), id));
            return set.isEmpty() ? null : set;
        });
    }

    /** The buyer's positions after {@code after} (or all, if null) in list order; weakly consistent. */
    Iterator<ReservationPosition> after(long buyerId, ReservationPosition after) {
        NavigableSet<ReservationPosition> set = byBuyer.get(buyerId);
        if (set == null) {
            return Collections.emptyIterator();
        }
        return (after == null ? set : set.tailSet(after, false)).iterator();
    }
}

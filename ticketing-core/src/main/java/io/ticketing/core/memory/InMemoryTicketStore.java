package io.ticketing.core.memory;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationPosition;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.StoreRules;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.LoggedChange;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The default store: everything on the heap of this JVM, nothing to install, lost on restart. Each
 * event has one lock; an operation on one event never waits for another event. A seat costs one byte,
 * so a 1,000,000-seat event takes about 1 MB; a reservation about 80 bytes, plus 4 per seat if it has
 * more than one.
 *
 * <p>Memory is bounded: a cancelled or expired reservation is forgotten {@code endedReservationRetention}
 * after it ended, a confirmed one {@code confirmedReservationRetention} after its confirmation, and an
 * idempotency key {@code idempotencyKeyRetention} after its reservation was made (or with its reservation,
 * if that is sooner); {@link #forgetEnded} does it in bounded batches, off the requests' path. Beyond
 * {@code maxEvents} events, {@code maxSeats} seats or {@code maxReservations} reservations held at once, a
 * new one is refused with {@code unavailable} (503).
 */
public final class InMemoryTicketStore implements TicketStore {
    /** How many rows of the reservation table one {@link #forgetEnded} call looks at, at most. */
    static final int FORGET_BATCH = 65_536;

    private final AtomicLong lastEventId = new AtomicLong();
    /** Every event by id, for the look-ups of every request (a hash look-up). */
    private final ConcurrentHashMap<Long, EventState> events = new ConcurrentHashMap<>();
    /** The same events newest first, for listing. */
    private final ConcurrentSkipListMap<Long, EventState> newestFirst = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final AtomicInteger eventCount = new AtomicInteger();
    private final AtomicLong seatCount = new AtomicLong();
    private final ReservationTable reservations;
    /** Each buyer's reservations; an entry whose reservation is gone (its event deleted) is dropped when met. */
    private final BuyerIndex buyers = new BuyerIndex();
    private final BuyerActors actors = new BuyerActors();
    private final ConcurrentHashMap<IdempotencyKey, String> idempotencyKeys = new ConcurrentHashMap<>();
    /** Events that had holds since the last expiry sweep; the sweep drops those that have none left. */
    private final Set<EventState> eventsWithHolds = ConcurrentHashMap.newKeySet();
    private final long endedRetentionMillis;
    private final long confirmedRetentionMillis;
    private final Duration idempotencyKeyRetention;
    private final int maxEvents;
    private final long maxSeats;
    private final int changeLogSize;
    private final String epoch = Long.toString(new SecureRandom().nextLong() >>> 1, 36);
    /** The next row {@link #forgetEnded} looks at; guarded by {@code this}. */
    private int forgetCursor;

    /** A store with every default of {@link Builder}. */
    public InMemoryTicketStore() {
        this(new Builder());
    }

    private InMemoryTicketStore(Builder b) {
        this.reservations = new ReservationTable(b.maxReservations, b.reuseGrace.toNanos());
        this.endedRetentionMillis = b.endedReservationRetention.toMillis();
        this.confirmedRetentionMillis = b.confirmedReservationRetention.toMillis();
        this.idempotencyKeyRetention = b.idempotencyKeyRetention;
        this.maxEvents = b.maxEvents;
        this.maxSeats = b.maxSeats;
        this.changeLogSize = b.changeLogSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    private record IdempotencyKey(long buyerId, String key) {
    }

    /**
     * A reservation (its row, and its id if known) in the status a change left it in, with the change's tally,
     * to publish after the lock.
     */
    private record Changed(int row, String id, EventState state, ReservationStatus status, EventState.Tally tally) {
    }

    private ReservationChange publish(Changed c) {
        String id = c.id != null ? c.id : reservations.id(c.row);
        return new ReservationChange(reservations.view(c.row, id, c.status), c.state.publish(c.tally));
    }

    @Override
    public Event createEvent(NewEvent spec) {
        var d = spec.draft();
        long seats = d.seatingConfig().totalTickets();
        if (eventCount.incrementAndGet() > maxEvents) {
            eventCount.decrementAndGet();
            throw TicketingException.unavailable("the in-memory store holds its maximum of " + maxEvents
                    + " events", null);
        }
        if (seatCount.addAndGet(seats) > maxSeats) {
            seatCount.addAndGet(-seats);
            eventCount.decrementAndGet();
            throw TicketingException.unavailable("the in-memory store holds " + (maxSeats - seatCount.get())
                    + " more seats at most, and the event has " + seats, null);
        }
        Event event = new Event(lastEventId.incrementAndGet(), d.name(), d.description(), d.venueName(),
                spec.sellerId(), d.status(), true, d.seatingConfig(), spec.createdAt(), d.rules());
        EventState state = new EventState(event, spec.createdAt(), reservations, changeLogSize);
        events.put(event.id(), state);
        newestFirst.put(event.id(), state);
        return event;
    }

    @Override
    public void deleteEvent(long eventId) {
        EventState removed = events.remove(eventId);
        if (removed != null) {
            newestFirst.remove(eventId);
            eventCount.decrementAndGet();
            seatCount.addAndGet(-removed.event.seatingConfig().totalTickets());
            synchronized (removed) {
                eventsWithHolds.remove(removed);
            }
            reservations.removeAll(removed);
            idempotencyKeys.values().removeIf(id -> reservations.find(id) < 0);
        }
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        EventState state = events.get(eventId);
        return state == null ? Optional.empty() : Optional.of(state.event);
    }

    @Override
    public List<Event> listEvents(EventQuery query) {
        List<Event> page = new ArrayList<>(Math.min(query.limit(), 256));
        for (EventState state : newestFirst.tailMap(query.beforeId(), false).values()) {
            Event e = state.event;
            if ((query.sellerId() == null || e.sellerId() == query.sellerId())
                    && (!query.publicOnly() || e.isOnSale())) {
                page.add(e);
                if (page.size() == query.limit()) {
                    break;
                }
            }
        }
        return page;
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        EventState state = events.get(eventId);
        return state == null ? Optional.empty() : Optional.of(state.statistics());
    }

    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        Map<Long, EventStatistics> summaries = new HashMap<>();
        for (long id : eventIds) {
            EventState state = events.get(id);
            if (state != null) {
                summaries.put(id, state.statistics().summary());
            }
        }
        return summaries;
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        return underLock(eventId, state -> state.grid.seats(section, subsection)).orElse(List.of());
    }

    /**
     * Copies the subsections' seats and the current version's counters under the event's lock (O(seats of
     * the subsections + subsections of the event)), and builds the statistics after releasing it.
     */
    @Override
    public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        EventState state = events.get(eventId);
        if (state == null) {
            return Optional.empty();
        }
        EventState.SeatCodes read;
        synchronized (state) {
            read = state.seatCodes(subsections);
        }
        EventStatistics current = state.statistics();
        EventStatistics statistics = current.version() == read.tally().version() ? current : state.publish(read.tally());
        SeatingConfig config = state.event.seatingConfig();
        List<SeatMap> maps = new ArrayList<>(subsections.size());
        for (int i = 0; i < subsections.size(); i++) {
            SubsectionRef s = subsections.get(i);
            if (read.codes()[i] == null) {
                return Optional.empty();
            }
            maps.add(new SeatMap(eventId, statistics.version(), s.section(), s.subsection(), config.rows(), config.cols(),
                    read.codes()[i]));
        }
        return Optional.of(new SeatMaps(statistics, maps));
    }

    /** Reads the event's {@link ChangeRing} under its lock: O(changes returned). */
    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        return underLock(eventId, state -> {
            List<LoggedChange> items = state.changes.after(eventId, since, limit, state.grid);
            long reached = items.isEmpty() ? since : items.get(items.size() - 1).version();
            return new ChangePage(eventId, items, reached < state.changes.last() ? reached : null);
        });
    }

    /** Random, made when the store is: an in-memory store's data lives and dies with it. */
    @Override
    public String epoch() {
        return epoch;
    }

    /** What {@code read} returns (null: empty) under the event's lock; empty for an unknown event. */
    private <T> Optional<T> underLock(long eventId, Function<EventState, T> read) {
        EventState state = events.get(eventId);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.ofNullable(read.apply(state));
        }
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        EventState state = state(eventId);
        Event after;
        EventState.Tally tally = null;
        synchronized (state) {
            Event before = state.event;
            after = StoreRules.applyPatch(before, patch);
            state.event = after;
            if (after.status() != before.status()) {
                tally = state.count(new LastEvent(ChangeType.EVENT_STATUS_CHANGED, actor, 0, now));
            }
        }
        return new EventChange(after, tally == null ? null : state.publish(tally));
    }

    @Override
    public ReservationChange reserve(ReserveCommand command) {
        if (command.idempotencyKey() == null) {
            return hold(command, null);
        }
        IdempotencyKey key = new IdempotencyKey(command.buyerId(), command.idempotencyKey());
        while (true) {
            String earlier = idempotencyKeys.get(key);
            if (earlier == null) {
                ReservationChange[] made = new ReservationChange[1];
                // The bin lock of this key makes two concurrent requests with the same key hold seats only once.
                earlier = idempotencyKeys.computeIfAbsent(key, k -> {
                    made[0] = hold(command, k);
                    return made[0].reservation().id();
                });
                if (made[0] != null) {
                    return made[0];
                }
            }
            Optional<Reservation> found = findReservation(earlier);
            if (found.isPresent()) {
                return new ReservationChange(found.get(), null);
            }
            idempotencyKeys.remove(key, earlier); // its reservation was just forgotten: the key starts afresh
        }
    }

    /** Holds the seats in a new row of the table, which makes the reservation's id. */
    private ReservationChange hold(ReserveCommand c, IdempotencyKey key) {
        EventState state = state(c.eventId());
        String actor = actors.of(c.buyerId());
        Changed held;
        synchronized (state) {
            Event event = state.event;
            if (!event.isOnSale()) {
                throw TicketingException.conflict("event " + event.id() + " is not on sale (status "
                        + event.status().wireName() + (event.active() ? "" : ", inactive") + ")");
            }
            int[] indexes = c instanceof ReserveCommand.BestAvailable best ? bestAvailable(state, best)
                    : explicitSeats(state, (ReserveCommand.Seats) c);
            int had = state.buyerSeats(c.buyerId());
            if (!event.rules().allows(had, indexes.length)) {
                throw StoreRules.limitExceeded(event.id(), c.buyerId(), had, indexes.length,
                        event.rules().maxSeatsPerBuyer());
            }
            int row = reservations.add(state, c.buyerId(), indexes, c.now(), state.holds.expiryAfterLast(c.expiresAt()),
                    key); // may be refused
            state.countBuyerSeats(c.buyerId(), indexes.length);
            state.holds.add(row);
            if (!state.listedWithHolds) {
                eventsWithHolds.add(state);
                state.listedWithHolds = true;
            }
            held = new Changed(row, null, state, ReservationStatus.HELD, reservations.moveSeats(row, state,
                    SeatStatus.RESERVED, new LastEvent(ChangeType.TICKET_RESERVED, actor, indexes.length, c.now())));
        }
        // listed after the lock is left, before the buyer is answered; forgetting it is minutes away
        buyers.add(c.buyerId(), ReservationPosition.micros(c.now()), held.row);
        return publish(held);
    }

    private static int[] bestAvailable(EventState state, ReserveCommand.BestAvailable c) {
        int[] indexes = state.grid.bestAvailable(state.grid.block(c.section(), c.subsection()), c.quantity());
        if (indexes == null) {
            throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "fewer than " + c.quantity()
                    + " seats are available in section " + c.section() + " subsection " + c.subsection());
        }
        return indexes;
    }

    private static int[] explicitSeats(EventState state, ReserveCommand.Seats c) {
        int[] indexes = new int[c.seats().size()];
        for (int k = 0; k < indexes.length; k++) {
            SeatRef s = c.seats().get(k);
            indexes[k] = state.grid.index(s);
            if (indexes[k] < 0 || state.grid.status(indexes[k]) != SeatStatus.AVAILABLE) {
                throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, "seat " + s.section() + "/" + s.subsection()
                        + " row " + s.row() + " seat " + s.seat()
                        + (indexes[k] < 0 ? " does not exist" : " is not available"));
            }
        }
        return indexes;
    }

    /** True: a reservation's id names its row in the table ({@link ReservationTable}). */
    @Override
    public boolean makesReservationIds() {
        return true;
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        int row = reservations.find(reservationId);
        if (row < 0) {
            return Optional.empty();
        }
        ReservationStatus status = reservations.status(row);
        Reservation r = status == null ? null : reservations.view(row, reservationId, status);
        // Read without the lock: the row may have been forgotten meanwhile, and it is then not found.
        return r == null || reservations.find(reservationId) != row ? Optional.empty() : Optional.of(r);
    }

    /**
     * Walks the buyer's index from the query's position, reading each entry's row as {@link #findReservation}
     * does; an entry whose row no longer holds that buyer's reservation of that time is dropped.
     */
    @Override
    public List<Reservation> listReservations(ReservationQuery query) {
        List<Reservation> page = new ArrayList<>();
        Iterator<BuyerIndex.Entry> entries = buyers.after(query.buyerId(), query.after());
        while (page.size() < query.limit() && entries.hasNext()) {
            BuyerIndex.Entry e = entries.next();
            Optional<Reservation> found = findReservation(reservations.id(e.row())).filter(r ->
                    r.buyerId() == query.buyerId() && ReservationPosition.micros(r.createdAt()) == e.createdMicros());
            if (found.isEmpty()) {
                buyers.remove(query.buyerId(), e);
                continue;
            }
            Reservation r = found.get();
            if ((query.eventId() == null || r.eventId() == query.eventId())
                    && (query.status() == null || r.status() == query.status())) {
                page.add(r);
            }
        }
        return page;
    }

    @Override
    public ReservationChange confirm(String reservationId, @Nullable String paymentReference, Instant now) {
        int row = reservation(reservationId);
        EventState state = eventOf(row, reservationId);
        String actor = actors.of(reservations.buyerId(row));
        Changed confirmed;
        synchronized (state) {
            requireStill(row, reservationId);
            Reservation r = reservations.view(row, reservationId, reservations.status(row));
            if (!StoreRules.mustConfirm(r, now)) {
                return new ReservationChange(r, null);
            }
            EventState.Tally tally = reservations.moveSeats(row, state, SeatStatus.SOLD,
                    new LastEvent(ChangeType.TICKET_CONFIRMED, actor, reservations.seatCount(row), now));
            reservations.confirm(row, paymentReference, now);
            state.holds.ended();
            confirmed = new Changed(row, reservationId, state, ReservationStatus.CONFIRMED, tally);
        }
        return publish(confirmed);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        int row = reservation(reservationId);
        EventState state = eventOf(row, reservationId);
        String actor = actors.of(reservations.buyerId(row));
        Changed cancelled;
        synchronized (state) {
            requireStill(row, reservationId);
            switch (reservations.status(row)) {
                case CANCELLED:
                    throw TicketingException.conflict("reservation " + reservationId + " is already cancelled");
                case EXPIRED:
                    throw TicketingException.conflict("reservation " + reservationId
                            + " has expired; its seats are released");
                case CONFIRMED:
                    if (state.event.status().isOver()) {
                        throw TicketingException.conflict("event " + state.id() + " is "
                                + state.event.status().wireName() + "; refunds are closed");
                    }
                    break;
                default:
                    break;
            }
            cancelled = release(state, row, reservationId, ReservationStatus.CANCELLED, ChangeType.TICKET_RELEASED,
                    actor, now);
        }
        return publish(cancelled);
    }

    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        List<Changed> expired = new ArrayList<>();
        for (EventState state : eventsWithHolds) {
            synchronized (state) {
                while (expired.size() < limit) {
                    int row = state.holds.oldest();
                    if (row < 0 || reservations.expiresAt(row).isAfter(now)) {
                        break;
                    }
                    expired.add(release(state, row, null, ReservationStatus.EXPIRED, ChangeType.TICKET_EXPIRED,
                            LastEvent.SYSTEM, now));
                }
                if (state.holds.held() == 0) {
                    eventsWithHolds.remove(state);
                    state.listedWithHolds = false;
                }
            }
            if (expired.size() >= limit) {
                break;
            }
        }
        return expired.stream().map(this::publish).toList();
    }

    /** Ends a held or confirmed reservation; {@code id} may be null. Called with the event's lock held. */
    private Changed release(EventState state, int row, String id, ReservationStatus newStatus, ChangeType type,
                            String actor, Instant now) {
        EventState.Tally tally = reservations.moveSeats(row, state, SeatStatus.AVAILABLE,
                new LastEvent(type, actor, reservations.seatCount(row), now));
        state.countBuyerSeats(reservations.buyerId(row), -reservations.seatCount(row));
        if (reservations.status(row) == ReservationStatus.HELD) {
            state.holds.ended();
        }
        reservations.end(row, newStatus, now);
        return new Changed(row, id, state, newStatus, tally);
    }

    /**
     * Forgets the reservations and idempotency keys past their retention among the next
     * {@value #FORGET_BATCH} rows of the reservation table, taking each event's lock briefly, and returns how
     * many reservations it forgot. A whole pass over the table takes as many calls as the table has rows
     * divided by the batch. Called by {@link io.ticketing.core.Ticketing}'s expiry thread after each sweep.
     */
    @Override
    public synchronized int forgetEnded(Instant now) {
        reservations.freeGraced();
        long nowMillis = now.toEpochMilli();
        Instant keysBefore = now.minus(idempotencyKeyRetention);
        int forgot = 0;
        int size = reservations.size();
        for (int n = 0; n < FORGET_BATCH && n < size; n++) {
            int row = forgetCursor;
            forgetCursor = row + 1 < size ? row + 1 : 0;
            if (dueToForget(row, nowMillis) || dueToDropKey(row, keysBefore)) {
                EventState state = reservations.event(row);
                if (state == null) {
                    continue; // its event was deleted
                }
                synchronized (state) {
                    if (dueToForget(row, nowMillis)) {
                        dropKey(row);
                        buyers.remove(reservations.buyerId(row), new BuyerIndex.Entry(
                                ReservationPosition.micros(reservations.createdAt(row)), row));
                        reservations.forget(row);
                        forgot++;
                    } else if (dueToDropKey(row, keysBefore)) {
                        dropKey(row);
                    }
                }
            }
        }
        reservations.freeGraced();
        return forgot;
    }

    private boolean dueToForget(int row, long nowMillis) {
        ReservationStatus status = reservations.status(row);
        if (status == null || status == ReservationStatus.HELD) {
            return false;
        }
        long retention = status == ReservationStatus.CONFIRMED ? confirmedRetentionMillis : endedRetentionMillis;
        return reservations.endedMilli(row) + retention <= nowMillis;
    }

    private boolean dueToDropKey(int row, Instant keysBefore) {
        return reservations.status(row) != null && reservations.idempotencyKey(row) != null
                && !reservations.createdAt(row).isAfter(keysBefore);
    }

    /** Removes the row's idempotency key, if it has one, from the map. Called with the event's lock held. */
    private void dropKey(int row) {
        Object key = reservations.idempotencyKey(row);
        if (key != null) {
            idempotencyKeys.remove(key, reservations.id(row));
            reservations.dropIdempotencyKey(row);
        }
    }

    /** {@code NOT_FOUND} unless the row still holds the reservation. Called with the event's lock held. */
    private void requireStill(int row, String reservationId) {
        if (reservations.find(reservationId) != row) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
    }

    private EventState state(long eventId) {
        EventState state = events.get(eventId);
        if (state == null) {
            throw TicketingException.notFound("event " + eventId + " does not exist");
        }
        return state;
    }

    /** The row of the reservation, else {@code NOT_FOUND}. */
    private int reservation(String reservationId) {
        int row = reservations.find(reservationId);
        if (row < 0) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return row;
    }

    /** The event of a found reservation, else {@code NOT_FOUND}: its event was deleted since. */
    private EventState eventOf(int row, String reservationId) {
        EventState state = reservations.event(row);
        if (state == null) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return state;
    }

    @Override
    public String toString() {
        return "InMemoryTicketStore[" + eventCount.get() + " events, at most " + reservations.taken() + " reservations]";
    }

    /**
     * Settings of the in-memory store, each with a documented default; {@link #build()} checks them all and
     * names the first one out of range.
     */
    public static final class Builder {
        public static final Duration DEFAULT_ENDED_RESERVATION_RETENTION = Duration.ofMinutes(15);
        public static final Duration DEFAULT_CONFIRMED_RESERVATION_RETENTION = Duration.ofDays(7);
        public static final Duration DEFAULT_IDEMPOTENCY_KEY_RETENTION = Duration.ofHours(24);
        public static final int DEFAULT_MAX_RESERVATIONS = 5_000_000;
        public static final int DEFAULT_MAX_EVENTS = 10_000;
        public static final long DEFAULT_MAX_SEATS = 100_000_000;
        public static final int DEFAULT_CHANGE_LOG_SIZE = 10_000;

        private Duration endedReservationRetention = DEFAULT_ENDED_RESERVATION_RETENTION;
        private Duration confirmedReservationRetention = DEFAULT_CONFIRMED_RESERVATION_RETENTION;
        private Duration idempotencyKeyRetention = DEFAULT_IDEMPOTENCY_KEY_RETENTION;
        private int maxReservations = DEFAULT_MAX_RESERVATIONS;
        private int maxEvents = DEFAULT_MAX_EVENTS;
        private long maxSeats = DEFAULT_MAX_SEATS;
        private int changeLogSize = DEFAULT_CHANGE_LOG_SIZE;
        private Duration reuseGrace = Duration.ofSeconds(10);

        private Builder() {
        }

        /** How long a cancelled or expired reservation stays readable: 1 s to 30 days, default 15 minutes. */
        public Builder endedReservationRetention(Duration retention) {
            this.endedReservationRetention = Objects.requireNonNull(retention, "endedReservationRetention");
            return this;
        }

        /** How long a confirmed reservation stays readable (and refundable): 1 s to 366 days, default 7 days. */
        public Builder confirmedReservationRetention(Duration retention) {
            this.confirmedReservationRetention = Objects.requireNonNull(retention, "confirmedReservationRetention");
            return this;
        }

        /** How long a retry with the same idempotency key gets the same reservation: 1 s to 30 days, default 24 h. */
        public Builder idempotencyKeyRetention(Duration retention) {
            this.idempotencyKeyRetention = Objects.requireNonNull(retention, "idempotencyKeyRetention");
            return this;
        }

        /**
         * The most reservations kept at once, held, confirmed or ended but not forgotten yet: 1,024 to
         * 260,000,000, default 5,000,000 (about 400 MB at most). Counted in blocks of 64 rows, up to 64 of
         * which may be handed out to adding threads and not used yet.
         */
        public Builder maxReservations(int maxReservations) {
            this.maxReservations = maxReservations;
            return this;
        }

        /** The most events: 1 to 10,000,000, default 10,000. */
        public Builder maxEvents(int maxEvents) {
            this.maxEvents = maxEvents;
            return this;
        }

        /** The most seats of all events together: 1 to 10,000,000,000, default 100,000,000 (about 100 MB). */
        public Builder maxSeats(long maxSeats) {
            this.maxSeats = maxSeats;
            return this;
        }

        /**
         * How many of its latest changes each event keeps in its change log: 1 to 1,000,000, default 10,000
         * (about 100 bytes a change plus 4 a seat, allocated as the log fills).
         */
        public Builder changeLogSize(int changeLogSize) {
            this.changeLogSize = changeLogSize;
            return this;
        }

        /** For tests: how long a forgotten reservation's row waits before it is used again. Default 10 s. */
        Builder reuseGrace(Duration reuseGrace) {
            this.reuseGrace = reuseGrace;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range and what is allowed */
        public InMemoryTicketStore build() {
            check("endedReservationRetention", endedReservationRetention, Duration.ofDays(30));
            check("confirmedReservationRetention", confirmedReservationRetention, Duration.ofDays(366));
            check("idempotencyKeyRetention", idempotencyKeyRetention, Duration.ofDays(30));
            if (maxReservations < 1_024 || maxReservations > 260_000_000) {
                throw new IllegalArgumentException("maxReservations must be between 1024 and 260000000, was "
                        + maxReservations);
            }
            if (maxEvents < 1 || maxEvents > 10_000_000) {
                throw new IllegalArgumentException("maxEvents must be between 1 and 10000000, was " + maxEvents);
            }
            if (maxSeats < 1 || maxSeats > 10_000_000_000L) {
                throw new IllegalArgumentException("maxSeats must be between 1 and 10000000000, was " + maxSeats);
            }
            if (changeLogSize < 1 || changeLogSize > 1_000_000) {
                throw new IllegalArgumentException("changeLogSize must be between 1 and 1000000, was " + changeLogSize);
            }
            return new InMemoryTicketStore(this);
        }

        private static void check(String name, Duration value, Duration max) {
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between PT1S and " + max + ", was " + value);
            }
        }
    }
}

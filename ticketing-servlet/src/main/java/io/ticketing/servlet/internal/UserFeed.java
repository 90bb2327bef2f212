package io.ticketing.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPage;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationPage;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.UserListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@code GET /me/stream} sends, routed by its authenticated user only.
 *
 * <p>A buyer: every hold still open on connect and after a gap in the broadcaster's delivery, then
 * {@code reservation} each time one of their reservations is made or changes status (a status is never
 * followed by an earlier one: {@code held} < {@code confirmed} < {@code cancelled}/{@code expired}), and
 * {@code reservation_expiring} once per hold and stream, {@code expiringLead} before it lapses (at once if
 * less is left). A seller: {@code initial_status} of each of their events, drafts included (the newest
 * {@value #MAX_SELLER_EVENTS}), then {@code status_update} of each change, never an older version after a
 * newer one, and the {@code initial_status} of events they create later. A read of the store after the
 * stream started (after a gap, for a new event) that fails closes the stream. Thread-safe.
 */
final class UserFeed implements UserListener {
    private static final Logger log = LoggerFactory.getLogger(UserFeed.class);
    static final int MAX_SELLER_EVENTS = 1_000;
    /** More reservations seen on one stream than this: the stream closes, and its client starts afresh. */
    private static final int MAX_TRACKED = 10_000;
    private static final int PAGE = 200;

    private final Ticketing ticketing;
    private final ObjectMapper mapper;
    private final StreamHub hub;
    private final UserStream stream;
    private final User user;
    private final Duration expiringLead;
    private final Map<String, ReservationStatus> sentStatus = new ConcurrentHashMap<>();
    private final Set<String> expiringSent = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> sentVersions = new ConcurrentHashMap<>();
    private final Map<Long, Subscription> events = new ConcurrentHashMap<>();
    private volatile Subscription own;

    UserFeed(Ticketing ticketing, ObjectMapper mapper, StreamHub hub, UserStream stream, Duration expiringLead) {
        this.ticketing = ticketing;
        this.mapper = mapper;
        this.hub = hub;
        this.stream = stream;
        this.user = stream.owner().user();
        this.expiringLead = expiringLead;
    }

    /**
     * Subscribes, then sends the current state; call once, before the stream starts.
     *
     * @throws io.ticketing.core.TicketingException if the store cannot be read (the stream's subscriptions
     *         end when the stream does)
     */
    void open() {
        stream.onEnd(this::close);
        own = ticketing.statistics().subscribe(user, this);
        if (!stream.isOpen()) {
            close();
            return;
        }
        resync();
    }

    @Override
    public void onUpdate(UserUpdate update) {
        if (update.reservation() != null) {
            offer(update.reservation());
        } else {
            hub.schedule(() -> readOrClose(() -> follow(update.eventId())), Duration.ZERO); // not on this thread
        }
    }

    @Override
    public void onGap() {
        hub.schedule(() -> readOrClose(this::resync), Duration.ZERO);
    }

    /**
     * Runs {@code read}, which reads the store; if that fails, closes the stream rather than leave it behind
     * the store: its client reconnects, and starts again from the current state.
     */
    private void readOrClose(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            log.warn("Closing the stream of user {}: its state could not be read again ({})", user.id(), e.toString());
            stream.closeGracefully();
        }
    }

    /** Sends what is current: the buyer's holds, or the seller's events' statistics. */
    private void resync() {
        if (!stream.isOpen()) {
            return;
        }
        if (user.role() == Role.BUYER) {
            String cursor = null;
            do {
                ReservationPage page = ticketing.reservations().listOwn(user, null, ReservationStatus.HELD, PAGE, cursor);
                page.items().forEach(this::offer);
                cursor = page.nextCursor();
            } while (cursor != null && stream.isOpen());
        } else {
            String cursor = null;
            int followed = 0;
            do {
                EventPage page = ticketing.events().list(user.id(), user, PAGE, cursor);
                for (Event e : page.items()) {
                    if (followed++ < MAX_SELLER_EVENTS) {
                        follow(e.id());
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null && followed < MAX_SELLER_EVENTS && stream.isOpen());
        }
    }

    private void offer(Reservation r) {
        boolean[] send = {false};
        sentStatus.compute(r.id(), (id, last) -> {
            if (last == null || rank(r.status()) > rank(last)) {
                send[0] = true;
                return r.status();
            }
            return last;
        });
        if (!send[0]) {
            return;
        }
        if (sentStatus.size() > MAX_TRACKED) {
            stream.closeGracefully();
            return;
        }
        stream.send(frame("reservation", r));
        if (r.status() == ReservationStatus.HELD) {
            hub.schedule(() -> expiring(r), Duration.between(Instant.now(), r.expiresAt().minus(expiringLead)));
        }
    }

    private void expiring(Reservation r) {
        if (stream.isOpen() && sentStatus.get(r.id()) == ReservationStatus.HELD && expiringSent.add(r.id())) {
            stream.send(frame("reservation_expiring", r));
        }
    }

    private static int rank(ReservationStatus status) {
        return switch (status) {
            case HELD -> 0;
            case CONFIRMED -> 1;
            case CANCELLED, EXPIRED -> 2;
        };
    }

    /** Subscribes to one of the seller's events (once) and sends its current statistics. */
    private void follow(long eventId) {
        if (!stream.isOpen() || (!events.containsKey(eventId) && events.size() >= MAX_SELLER_EVENTS)) {
            return;
        }
        events.computeIfAbsent(eventId, id -> ticketing.statistics().subscribe(id, this::offer));
        if (!stream.isOpen()) {
            close();
            return;
        }
        try {
            offer(ticketing.statistics().current(eventId, user));
        } catch (TicketingException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            // deleted since it was listed: nothing to show
        }
    }

    private void offer(EventStatistics s) {
        boolean[] initial = {false};
        boolean[] send = {false};
        sentVersions.compute(s.eventId(), (id, last) -> {
            initial[0] = last == null;
            send[0] = last == null || s.version() > last;
            return send[0] ? s.version() : last;
        });
        if (send[0]) {
            stream.send(frame(initial[0] ? "initial_status" : "status_update", s));
        }
    }

    private byte[] frame(String type, Object body) {
        try {
            return SseFrameEncoder.event(null, type, mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a " + type + " frame", e);
        }
    }

    /** Ends every subscription; idempotent. */
    private void close() {
        Subscription s = own;
        if (s != null) {
            s.close();
        }
        events.values().forEach(Subscription::close);
    }
}

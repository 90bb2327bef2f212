package io.ticketing.core;

import io.ticketing.core.internal.BoundedCache;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPage;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Role;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionSeats;
import io.ticketing.core.model.User;
import io.ticketing.core.model.UserUpdate;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.TicketStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Creating, listing, reading and changing events. Every method checks who may do it: {@code user} is the
 * authenticated caller or null for an anonymous one. Drafts are visible only to their seller; to anyone
 * else they do not exist ({@code not_found}).
 */
public final class EventService {
    /** Page size of {@link #list} when the caller gives none. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest page size of {@link #list}. */
    public static final int MAX_PAGE_SIZE = 200;

    /** Page size of {@link #changes} when the caller gives none. */
    public static final int DEFAULT_CHANGES_PAGE_SIZE = 100;
    /** Largest page size of {@link #changes}. */
    public static final int MAX_CHANGES_PAGE_SIZE = 1000;

    /** How many events' seating configs {@link #seatingConfig} keeps. */
    private static final int KEPT_CONFIGS = 1024;

    private final TicketStore store;
    private final StatisticsPublisher publisher;
    private final Clock clock;
    /** Seating configs of events seen out of draft: visible to everyone from then on, and never changed. */
    private final BoundedCache<Long, SeatingConfig> publicConfigs = new BoundedCache<>(KEPT_CONFIGS);

    EventService(TicketStore store, StatisticsPublisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Creates an event with all its seats available, as {@code seller}. All or nothing: if the event's
     * statistics cannot be initialised or published, the stored event is removed and the error thrown.
     */
    public Event create(@Nullable User seller, EventDraft draft) {
        Access.require(seller, Role.SELLER);
        EventDraft valid = EventDraftValidator.validate(draft);
        Event event = store.createEvent(new NewEvent(valid, seller.id(), now(clock)));
        try {
            EventStatistics initial = store.statistics(event.id()).orElseThrow(() ->
                    new IllegalStateException("the store returned no statistics for new event " + event.id()));
            publisher.publishOrThrow(initial);
        } catch (RuntimeException e) {
            try {
                store.deleteEvent(event.id());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        publisher.publish(UserUpdate.eventCreated(seller.id(), event.id()));
        return event;
    }

    /** The event, if {@code viewer} may see it; else {@code not_found}. */
    public Event get(long eventId, @Nullable User viewer) {
        Event event = store.findEvent(eventId).orElse(null);
        if (event == null || !event.isVisibleTo(viewer)) {
            throw TicketingException.notFound("event " + eventId + " does not exist");
        }
        if (event.status() != EventStatus.DRAFT) {
            publicConfigs.put(eventId, event.seatingConfig());
        }
        return event;
    }

    /**
     * The event's seating config, if {@code viewer} may see the event; else {@code not_found}. Reads the
     * store only the first time for an event out of draft: such an event stays visible (no status leads
     * back to draft) and its config never changes.
     */
    SeatingConfig seatingConfig(long eventId, User viewer) {
        SeatingConfig config = publicConfigs.get(eventId);
        return config != null ? config : get(eventId, viewer).seatingConfig();
    }

    /**
     * One page of events, newest first. Without {@code sellerId}: events that are active and available.
     * With it: that seller's events — every one of them if {@code viewer} is that seller, else only the
     * active and available ones. {@code cursor} is null or a {@code nextCursor} of an earlier page.
     */
    public EventPage list(@Nullable Long sellerId, @Nullable User viewer, int limit, @Nullable String cursor) {
        EventDraftValidator.range("limit", limit, 1, MAX_PAGE_SIZE);
        long beforeId = cursor == null ? Long.MAX_VALUE : decodeCursor(cursor);
        boolean ownList = sellerId != null && viewer != null && viewer.role() == Role.SELLER && viewer.id() == sellerId;
        List<Event> rows = store.listEvents(new EventQuery(sellerId, !ownList, beforeId, limit + 1));
        if (rows.size() <= limit) {
            return new EventPage(rows, null);
        }
        List<Event> page = rows.subList(0, limit);
        return new EventPage(page, encodeCursor(page.get(limit - 1).id()));
    }

    /**
     * Changes status, {@code active} and/or the sales rules; only the event's seller may. A rules change
     * alone is no change of seats or status: it publishes nothing and leaves {@code version} as it is.
     */
    public Event update(long eventId, EventPatch patch, @Nullable User seller) {
        Access.require(seller, Role.SELLER);
        if (patch == null || (patch.status() == null && patch.active() == null && patch.rules() == null)) {
            throw TicketingException.validation("status", "give status, active and/or rules");
        }
        if (patch.rules() != null) {
            EventDraftValidator.validate(patch.rules());
        }
        Event event = get(eventId, seller);
        if (!event.isSeller(seller)) {
            throw new TicketingException(ErrorCode.FORBIDDEN, "only the seller of event " + eventId + " may change it");
        }
        EventChange change = store.updateEvent(eventId, patch, seller.actor(), now(clock));
        publisher.publish(change.statistics(), List.of()); // a status change moves no seat
        if (patch.active() != null) {
            publisher.publishListingChanged(eventId);
        }
        return change.event();
    }

    /** Every seat of one subsection with its status; {@code not_found} for an unknown section or subsection. */
    public SubsectionSeats seats(long eventId, String section, int subsection, @Nullable User viewer) {
        Event event = get(eventId, viewer);
        Section s = event.seatingConfig().section(section);
        if (s == null || subsection < 1 || subsection > s.subsections()) {
            throw TicketingException.notFound("event " + eventId + " has no subsection " + section + "/" + subsection);
        }
        return new SubsectionSeats(eventId, section, subsection, store.seats(eventId, section, subsection));
    }

    /**
     * Up to {@code limit} (1..{@value #MAX_CHANGES_PAGE_SIZE}) changes of the event with a version greater than
     * {@code since} (&ge; 0), oldest first; only the event's seller may read them ({@code unauthorized} for no
     * user, {@code not_found} for a draft of someone else, {@code forbidden} for anyone else). {@code history_expired} if
     * the store no longer keeps a change after {@code since}.
     */
    public ChangePage changes(long eventId, long since, int limit, User seller) {
        if (seller == null) {
            throw new TicketingException(ErrorCode.UNAUTHORIZED, "sign in as the event's seller to read its changes");
        }
        if (since < 0) {
            throw TicketingException.validation("since", "since must be an integer >= 0");
        }
        EventDraftValidator.range("limit", limit, 1, MAX_CHANGES_PAGE_SIZE);
        Event event = get(eventId, seller);
        if (!event.isSeller(seller)) {
            throw new TicketingException(ErrorCode.FORBIDDEN, "only the seller of event " + eventId
                    + " may read its changes");
        }
        return store.changes(eventId, since, limit)
                .orElseThrow(() -> TicketingException.notFound("event " + eventId + " does not exist"));
    }

    static Instant now(Clock clock) {
        return Instant.ofEpochMilli(clock.millis()); // the instant truncated to milliseconds, in one object
    }

    private static String encodeCursor(long lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("before:" + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith("before:")) {
                long id = Long.parseLong(text.substring("before:".length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // fall through to the validation error
        }
        throw TicketingException.validation("cursor", "cursor is not one this API returned");
    }
}

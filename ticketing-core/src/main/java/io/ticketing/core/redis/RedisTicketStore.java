package io.ticketing.core.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.TicketingException;
import io.ticketing.core.internal.BoundedCache;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.ChangePage;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LoggedChange;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatMap;
import io.ticketing.core.model.SeatMaps;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionRef;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReservationPosition;
import io.ticketing.core.spi.ReservationQuery;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.StoreRules;
import io.ticketing.core.spi.TicketStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TicketStore} in Redis (or Kvrocks), for hot on-sales: every mutating operation is one Lua script,
 * so it is atomic and takes one round trip, and any number of nodes may share the store. Works on one server
 * and on a Redis Cluster: every key of an event carries the hash tag {@code {e:<id>}}, so each script runs on
 * the one node that owns that event. The key layout, the scripts, the durability to expect and what to run in
 * production are in {@code docs/redis-store.md}.
 *
 * <ul>
 *   <li>Seats are one string per subsection, one byte per seat ({@code a}, {@code r}, {@code s}); counters per
 *       subsection and in total change in the script that moves the seats, so statistics are read, never
 *       counted.</li>
 *   <li>Reservation ids are made by the store: {@code r-<eventId>-<24 hex digits>}, so that a reservation is
 *       found from its id alone, on the event's node.</li>
 *   <li>An idempotency key is bound to the event it is first used on, in the buyer's own slot
 *       ({@code {u:<buyer>}}), and remembered with its reservation in the event's slot.</li>
 *   <li>A Redis that cannot be reached, or cannot serve now, makes an operation fail with
 *       {@link ErrorCode#UNAVAILABLE}; it may or may not have been applied if the connection broke after it
 *       was sent.</li>
 * </ul>
 *
 * <pre>{@code
 * RedisTicketStore store = RedisTicketStore.builder("redis-cluster://10.0.0.1:6379,10.0.0.2:6379").build();
 * Ticketing ticketing = Ticketing.builder().store(store).build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the store's connections.
 */
public final class RedisTicketStore implements TicketStore {
    private static final Logger log = LoggerFactory.getLogger(RedisTicketStore.class);

    /** The layout version of the keys; a store refuses to start on keys of another version. */
    static final String SCHEMA_VERSION = "2";
    /** How soon the sweep looks again at an event that had no holds (a hold made later normally says so at once). */
    static final Duration IDLE_RECHECK = Duration.ofSeconds(60);
    private static final Pattern RESERVATION_ID = Pattern.compile("r-([1-9][0-9]{0,18})-[0-9a-f]{24}");

    private static final LuaScript CREATE = LuaScript.onEvent("create-event");
    private static final LuaScript DELETE = LuaScript.onEvent("delete-event");
    private static final LuaScript READ_EVENT = LuaScript.onEvent("read-event");
    private static final LuaScript READ_STATISTICS = LuaScript.onEvent("read-statistics");
    private static final LuaScript READ_SUMMARY = LuaScript.onEvent("read-summary");
    private static final LuaScript READ_SEATS = LuaScript.onEvent("read-seats");
    private static final LuaScript READ_SEAT_MAPS = LuaScript.onEvent("read-seat-maps");
    private static final LuaScript READ_RESERVATION = LuaScript.onEvent("read-reservation");
    private static final LuaScript UPDATE = LuaScript.onEvent("update-event");
    private static final LuaScript RESERVE = LuaScript.onEvent("reserve");
    private static final LuaScript CONFIRM = LuaScript.onEvent("confirm");
    private static final LuaScript CANCEL = LuaScript.onEvent("cancel");
    private static final LuaScript EXPIRE = LuaScript.onEvent("expire");
    private static final LuaScript READ_CHANGES = LuaScript.onEvent("read-changes");
    private static final LuaScript INIT = LuaScript.onGlobal("global-init");
    private static final LuaScript EPOCH = LuaScript.onGlobal("global-epoch");
    private static final LuaScript PING = LuaScript.onGlobal("global-ping");
    private static final LuaScript ADD_EVENT = LuaScript.onGlobal("global-add-event");
    private static final LuaScript REMOVE_EVENT = LuaScript.onGlobal("global-remove-event");
    private static final LuaScript LIST = LuaScript.onGlobal("global-list");
    private static final LuaScript DUE = LuaScript.onGlobal("global-due");
    private static final LuaScript RESCHEDULE = LuaScript.onGlobal("global-reschedule");
    private static final LuaScript HOLD_MADE = LuaScript.onGlobal("global-hold-made");
    private static final LuaScript ADD_TO_BUYER = LuaScript.onBuyer("buyer-add-reservation");
    private static final LuaScript LIST_BUYER = LuaScript.onBuyer("buyer-list");
    private static final LuaScript DROP_FROM_BUYER = LuaScript.onBuyer("buyer-drop-reservations");
    /** How many ids of a buyer's list {@link #listReservations} asks for at a time. */
    private static final int LIST_BATCH = 100;
    /** How long an id listed but not found may still be a reservation being made, before it is dropped. */
    private static final long MAKING_MICROS = 60_000_000L;

    private final ScriptRunner redis;
    private final String keyPrefix;
    private final String globalKey;
    private final String description;
    private final ObjectMapper json = TicketingJson.newObjectMapper();
    /** Layouts never change for an event; the uid tells a cached one from an event that reused the id. */
    private final BoundedCache<Long, EventLayout> layouts = new BoundedCache<>(4096);
    private final int changeLogSize;
    private String epoch;

    private RedisTicketStore(ScriptRunner redis, String keyPrefix, String description, int changeLogSize) {
        this.redis = redis;
        this.changeLogSize = changeLogSize;
        this.keyPrefix = keyPrefix;
        this.globalKey = keyPrefix + "{global}:";
        this.description = description;
    }

    /** Starts configuring a store on the Redis at {@code url}; see {@link Builder#url}. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * A store on {@code redis}, after checking its schema marker (creating it on an empty Redis).
     *
     * @throws IllegalStateException if the keys under {@code keyPrefix} are of another schema version
     */
    static RedisTicketStore open(ScriptRunner redis, String keyPrefix, String description) {
        return open(redis, keyPrefix, description, Builder.DEFAULT_CHANGE_LOG_SIZE);
    }

    /** As {@link #open(ScriptRunner, String, String)}, each new event keeping its last {@code changeLogSize} changes. */
    static RedisTicketStore open(ScriptRunner redis, String keyPrefix, String description, int changeLogSize) {
        RedisTicketStore store = new RedisTicketStore(redis, keyPrefix, description, changeLogSize);
        Object version = redis.run(INIT, store.globalKey, List.of(SCHEMA_VERSION, RedisTime.nanos(Instant.now())));
        if (!SCHEMA_VERSION.equals(version)) {
            throw new IllegalStateException("the keys under prefix '" + keyPrefix + "' on " + description
                    + " are of schema version " + version + ", this library uses " + SCHEMA_VERSION);
        }
        String proposed = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        store.epoch = (String) redis.run(EPOCH, store.globalKey, List.of(proposed));
        return store;
    }

    private String eventKey(long eventId) {
        return keyPrefix + "{e:" + eventId + "}:";
    }

    // ---- events ----

    /**
     * Lists the new id first (a global script), then writes every key of the event in one script; if that
     * fails, or its answer is lost, removes whatever of the event exists, so that a failed creation leaves
     * nothing behind. A node that dies in between leaves at most an id in the listings, which readers skip.
     */
    @Override
    public Event createEvent(NewEvent spec) {
        EventDraft d = spec.draft();
        // the sweep's first look: a minute on, so that it never looks at an event whose keys are not written yet
        Object id = redis.run(ADD_EVENT, globalKey, List.of(Long.toString(spec.sellerId()), firstLook(spec.createdAt())));
        if (id == null) {
            throw TicketingException.unavailable("the Redis store at " + description + " has lost its marker key "
                    + globalKey + "schema: its data was flushed or lost; restart the nodes to start an empty store", null);
        }
        Event event = new Event((Long) id, d.name(), d.description(), d.venueName(), spec.sellerId(), d.status(), true,
                d.seatingConfig(), spec.createdAt(), d.rules());
        EventLayout layout = new EventLayout(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()),
                d.seatingConfig());
        try {
            List<?> reply = (List<?>) redis.run(CREATE, eventKey(event.id()), creationArguments(event, layout));
            if (!"ok".equals(reply.get(0))) {
                throw new IllegalStateException("event " + event.id() + " could not be created: " + reply.get(1));
            }
        } catch (RuntimeException e) {
            undoCreation(event, e);
            throw e;
        }
        layouts.put(event.id(), layout);
        return event;
    }

    private List<String> creationArguments(Event e, EventLayout layout) {
        SeatingConfig config = e.seatingConfig();
        String created = RedisTime.nanos(e.createdAt());
        List<String> hash = new ArrayList<>(List.of("uid", layout.uid, "name", e.name(), "seller",
                Long.toString(e.sellerId()), "status", e.status().wireName(), "active", "1", "config", toJson(config),
                "created", created, "rows", Integer.toString(config.rows()), "cols", Integer.toString(config.cols()),
                "blocks", Integer.toString(layout.blocks()), "version", "1", "lt", ChangeType.EVENT_CREATED.wireName(),
                "la", User.seller(e.sellerId()).actor(), "ls", "0", "lat", created, "sched", firstLook(e.createdAt()),
                "rem", Long.toString(config.totalTickets()), "alc", "0", "cnf", "0",
                "total", Long.toString(config.totalTickets()), "logmax", Integer.toString(changeLogSize)));
        if (e.description() != null) {
            hash.addAll(List.of("desc", e.description()));
        }
        if (e.venueName() != null) {
            hash.addAll(List.of("venue", e.venueName()));
        }
        hash.addAll(List.of("cap", cap(e.rules())));
        int block = 0;
        for (Section s : config.sections()) {
            hash.addAll(List.of("sec:" + s.name(), block + ":" + s.subsections()));
            block += s.subsections();
        }
        List<String> args = new ArrayList<>(hash.size() + 3);
        args.add(Integer.toString(hash.size()));
        args.addAll(hash);
        args.add(Integer.toString(layout.blocks()));
        args.add(Integer.toString(layout.blockSize()));
        return args;
    }

    private static String firstLook(Instant createdAt) {
        return RedisTime.micros(createdAt.plus(IDLE_RECHECK));
    }

    private void undoCreation(Event event, RuntimeException failure) {
        try {
            remove(event.id(), event.sellerId());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            log.warn("Could not remove what the failed creation of event {} left in the Redis store at {}: {}",
                    event.id(), description, e.getMessage());
        }
    }

    @Override
    public void deleteEvent(long eventId) {
        remove(eventId, null);
    }

    /** Deletes the event's keys, then unlists it (from its seller's listing too if the seller is known). */
    private void remove(long eventId, Long knownSeller) {
        Object seller = ((List<?>) redis.run(DELETE, eventKey(eventId), List.of())).get(0);
        layouts.remove(eventId);
        String sellerId = seller != null ? (String) seller : knownSeller != null ? knownSeller.toString() : "";
        redis.run(REMOVE_EVENT, globalKey, List.of(Long.toString(eventId), sellerId));
    }

    @Override
    public Optional<Event> findEvent(long eventId) {
        return Optional.ofNullable(event(eventId, (List<?>) redis.run(READ_EVENT, eventKey(eventId), List.of())));
    }

    /** The event from an {@code event_fields()} reply, or null if it has no uid (no such event). */
    private Event event(long eventId, List<?> f) {
        String uid = (String) f.get(0);
        if (uid == null) {
            return null;
        }
        EventLayout layout = layouts.get(eventId);
        if (layout == null || !layout.uid.equals(uid)) {
            layout = new EventLayout(uid, fromJson((String) f.get(7)));
            layouts.put(eventId, layout);
        }
        String cap = (String) f.get(9);
        return new Event(eventId, (String) f.get(1), (String) f.get(2), (String) f.get(3), Long.parseLong((String) f.get(4)),
                EventStatus.fromWire((String) f.get(5)), "1".equals(f.get(6)), layout.config,
                RedisTime.instant((String) f.get(8)),
                cap == null || cap.isEmpty() ? EventRules.NONE : new EventRules(Integer.valueOf(cap)));
    }

    /** The event hash's {@code cap}: the cap per buyer, or empty for none. */
    private static String cap(EventRules rules) {
        return rules.maxSeatsPerBuyer() == null ? "" : rules.maxSeatsPerBuyer().toString();
    }

    /** The layout of the event whose scripts answered with {@code uid}; null if the event is gone. */
    private EventLayout layout(long eventId, String uid) {
        EventLayout layout = layouts.get(eventId);
        if (layout != null && layout.uid.equals(uid)) {
            return layout;
        }
        return findEvent(eventId).map(e -> layouts.get(eventId)).orElse(null);
    }

    /** Reads pages of ids from the listing and skips ids whose event is gone or filtered out. */
    @Override
    public List<Event> listEvents(EventQuery query) {
        List<Event> page = new ArrayList<>();
        String seller = query.sellerId() == null ? "" : query.sellerId().toString();
        long before = query.beforeId();
        while (page.size() < query.limit()) {
            List<?> ids = (List<?>) redis.run(LIST, globalKey,
                    List.of(seller, Long.toString(before), Integer.toString(query.limit())));
            for (Object id : ids) {
                before = Long.parseLong((String) id);
                Event e = findEvent(before).orElse(null);
                if (e != null && (!query.publicOnly() || e.isOnSale()) && page.size() < query.limit()) {
                    page.add(e);
                }
            }
            if (ids.size() < query.limit()) {
                break;
            }
        }
        return page;
    }

    /**
     * One script: the event's log entries after {@code since}. Each event keeps its last {@code changeLogSize}
     * changes (as of its creation), trimmed as each change is appended.
     */
    @Override
    public Optional<ChangePage> changes(long eventId, long since, int limit) {
        List<?> reply = (List<?>) redis.run(READ_CHANGES, eventKey(eventId),
                List.of(Long.toString(since), Integer.toString(limit + 1)));
        if (reply == null) {
            return Optional.empty();
        }
        if ("expired".equals(reply.get(1))) {
            throw new TicketingException(ErrorCode.HISTORY_EXPIRED, "event " + eventId
                    + " no longer keeps its changes since version " + since);
        }
        EventLayout layout = findEvent(eventId).map(e -> layouts.get(eventId)).orElse(null);
        if (layout == null) {
            return Optional.empty();
        }
        List<?> entries = (List<?>) reply.get(2);
        List<LoggedChange> items = new ArrayList<>(Math.min(limit, entries.size()));
        for (int i = 0; i < entries.size() && i < limit; i++) {
            items.add(layout.loggedChange((String) entries.get(i)));
        }
        Long next = entries.size() > limit ? items.get(items.size() - 1).version() : null;
        return Optional.of(new ChangePage(eventId, items, next));
    }

    /** Made by the first node that opened the store and kept with the schema marker: gone with a flush. */
    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public Optional<EventStatistics> statistics(long eventId) {
        List<?> reply = (List<?>) redis.run(READ_STATISTICS, eventKey(eventId), List.of());
        return Optional.ofNullable(reply == null ? null : statistics(eventId, reply));
    }

    /**
     * One script per event (an event's keys live in its own slot, so one round trip cannot serve a page of
     * events on a cluster), reading only the event's totals: no subsection counters, no layout.
     */
    @Override
    public Map<Long, EventStatistics> summaries(List<Long> eventIds) {
        Map<Long, EventStatistics> summaries = new HashMap<>();
        for (long id : eventIds) {
            List<?> e = (List<?>) redis.run(READ_SUMMARY, eventKey(id), List.of());
            if (e != null) {
                summaries.put(id, EventLayout.summary(id, e));
            }
        }
        return summaries;
    }

    private EventStatistics statistics(long eventId, List<?> stats) {
        String uid = (String) ((List<?>) stats.get(0)).get(0);
        EventLayout layout = layout(eventId, uid);
        if (layout == null) {
            throw TicketingException.notFound("event " + eventId + " does not exist");
        }
        return layout.statistics(eventId, stats);
    }

    @Override
    public List<Seat> seats(long eventId, String section, int subsection) {
        for (int attempt = 0; attempt < 2; attempt++) {
            EventLayout layout = layouts.get(eventId);
            if (layout == null && findEvent(eventId).isEmpty()) {
                return List.of();
            }
            layout = layouts.get(eventId);
            int block = layout == null ? -1 : layout.block(section, subsection);
            if (block < 0) {
                return List.of();
            }
            List<?> reply = (List<?>) redis.run(READ_SEATS, eventKey(eventId), List.of(Integer.toString(block)));
            if (reply == null) {
                return List.of();
            }
            if (layout.uid.equals(reply.get(0))) {
                return layout.seats(block, (String) reply.get(1));
            }
            layouts.remove(eventId); // another event under this id since the layout was cached: read it again
        }
        return List.of();
    }

    /** One script: the statistics and the subsections' blocks, in one step of the event's slot. */
    @Override
    public Optional<SeatMaps> seatMaps(long eventId, List<SubsectionRef> subsections) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (layouts.get(eventId) == null && findEvent(eventId).isEmpty()) {
                return Optional.empty();
            }
            EventLayout layout = layouts.get(eventId);
            if (layout == null) {
                return Optional.empty();
            }
            List<String> blocks = new ArrayList<>(subsections.size());
            for (SubsectionRef s : subsections) {
                int block = layout.block(s.section(), s.subsection());
                if (block < 0) {
                    return Optional.empty();
                }
                blocks.add(Integer.toString(block));
            }
            List<?> reply = (List<?>) redis.run(READ_SEAT_MAPS, eventKey(eventId), blocks);
            if (reply == null) {
                return Optional.empty();
            }
            List<?> stats = (List<?>) reply.get(0);
            if (layout.uid.equals(((List<?>) stats.get(0)).get(0))) {
                EventStatistics statistics = layout.statistics(eventId, stats);
                List<?> codes = (List<?>) reply.get(1);
                List<SeatMap> maps = new ArrayList<>(subsections.size());
                for (int i = 0; i < subsections.size(); i++) {
                    SubsectionRef s = subsections.get(i);
                    maps.add(new SeatMap(eventId, statistics.version(), s.section(), s.subsection(),
                            layout.config.rows(), layout.config.cols(), (String) codes.get(i)));
                }
                return Optional.of(new SeatMaps(statistics, maps));
            }
            layouts.remove(eventId); // another event under this id since the layout was cached: read it again
        }
        return Optional.empty();
    }

    @Override
    public EventChange updateEvent(long eventId, EventPatch patch, String actor, Instant now) {
        List<?> reply = (List<?>) redis.run(UPDATE, eventKey(eventId), List.of(
                patch.status() == null ? "" : patch.status().wireName(),
                patch.active() == null ? "" : patch.active() ? "1" : "0", actor, RedisTime.nanos(now),
                patch.rules() == null ? "keep" : cap(patch.rules())));
        checkOk(reply, "event " + eventId);
        Event event = event(eventId, (List<?>) reply.get(1));
        List<?> stats = (List<?>) reply.get(2);
        return new EventChange(event, stats == null ? null : layouts.get(eventId).statistics(eventId, stats));
    }

    // ---- reservations ----

    /** True: ids are {@code r-<eventId>-<24 hex digits>}, which routes every later call to the event's keys. */
    @Override
    public boolean makesReservationIds() {
        return true;
    }

    /**
     * Lists the new id in the buyer's slot, then runs the reserve script on the event's: one round trip for both
     * on one server when the command has no idempotency key (the listing cannot refuse then), two otherwise.
     */
    @Override
    public ReservationChange reserve(ReserveCommand c) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = "r-" + c.eventId() + "-" + HexFormat.of().toHexDigits(random.nextLong())
                + HexFormat.of().toHexDigits(random.nextInt());
        List<String> args = new ArrayList<>(List.of(id, Long.toString(c.buyerId()),
                c.idempotencyKey() == null ? "" : c.idempotencyKey(), RedisTime.nanos(c.now()),
                RedisTime.nanos(c.expiresAt()), RedisTime.micros(c.expiresAt())));
        if (c instanceof ReserveCommand.BestAvailable best) {
            args.addAll(List.of("best", best.section(), Integer.toString(best.subsection()),
                    Integer.toString(best.quantity())));
        } else {
            args.add("seats");
            for (SeatRef s : ((ReserveCommand.Seats) c).seats()) {
                args.addAll(List.of(s.section(), Integer.toString(s.subsection()), Integer.toString(s.row()),
                        Integer.toString(s.seat())));
            }
        }
        List<?> reply;
        if (c.idempotencyKey() == null) {
            reply = (List<?>) redis.runBoth(ADD_TO_BUYER, buyerKey(c.buyerId()), listing(c, id),
                    RESERVE, eventKey(c.eventId()), args).get(1);
        } else {
            addToBuyer(c, id);
            reply = (List<?>) redis.run(RESERVE, eventKey(c.eventId()), args);
        }
        if ("limit_exceeded".equals(reply.get(0))) {
            List<?> counts = (List<?>) reply.get(2); // had, more, cap
            throw StoreRules.limitExceeded(c.eventId(), c.buyerId(), ((Long) counts.get(0)).intValue(),
                    ((Long) counts.get(1)).intValue(), ((Long) counts.get(2)).intValue());
        }
        ReservationChange change = change(c.eventId(), reply, "event " + c.eventId());
        if (change.changed() && Long.valueOf(1).equals(reply.get(3))) {
            holdMade(change.reservation());
        }
        return change;
    }

    /**
     * Lists the id in the buyer's own slot ({@code {u:<buyer>}}) and binds the command's idempotency key to its
     * event there, before the event's script runs (the two live in different cluster slots, so one script
     * cannot do both): a key this buyer used on another event is a conflict, as in every store; on this event
     * the reserve script replays or refuses it. A binding whose reservation then fails stays: the key may
     * still be used on this event only; the id of a reservation not made is dropped by a later listing.
     */
    private void addToBuyer(ReserveCommand c, String id) {
        Object bound = redis.run(ADD_TO_BUYER, buyerKey(c.buyerId()), listing(c, id));
        if (!Long.toString(c.eventId()).equals(bound)) {
            throw TicketingException.conflict("Idempotency-Key " + c.idempotencyKey() + " was used for another"
                    + " request (on event " + bound + "); use a new key for a new request");
        }
    }

    /** The arguments of buyer-add-reservation.lua for the reservation {@code id} that {@code c} makes. */
    private static List<String> listing(ReserveCommand c, String id) {
        return List.of(id, Long.toString(ReservationPosition.micros(c.now())),
                c.idempotencyKey() == null ? "" : c.idempotencyKey(), Long.toString(c.eventId()));
    }

    private String buyerKey(long buyerId) {
        return keyPrefix + "{u:" + buyerId + "}:";
    }

    /**
     * Reads the buyer's list in batches of {@value #LIST_BATCH} ids from the query's position, each
     * reservation from its event's keys, and drops from the list the ids whose reservation is gone (its event
     * deleted, or never made and listed over {@code 60 s} ago).
     */
    @Override
    public List<Reservation> listReservations(ReservationQuery q) {
        List<Reservation> page = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        String eventPrefix = q.eventId() == null ? null : "r-" + q.eventId() + "-";
        String max = q.after() == null ? "+inf" : Long.toString(q.after().createdMicros());
        long makingSince = ReservationPosition.micros(Instant.now()) - MAKING_MICROS;
        int offset = 0;
        boolean more = true;
        while (more && page.size() < q.limit()) {
            List<?> batch = (List<?>) redis.run(LIST_BUYER, buyerKey(q.buyerId()),
                    List.of(max, Integer.toString(offset), Integer.toString(LIST_BATCH)));
            more = batch.size() == 2 * LIST_BATCH;
            offset += batch.size() / 2;
            for (int i = 0; i < batch.size() && page.size() < q.limit(); i += 2) {
                var p = new ReservationPosition((long) Double.parseDouble((String) batch.get(i + 1)),
                        (String) batch.get(i));
                if ((q.after() != null && p.compareTo(q.after()) <= 0)
                        || (eventPrefix != null && !p.id().startsWith(eventPrefix))) {
                    continue;
                }
                Optional<Reservation> r = findReservation(p.id());
                if (r.isEmpty()) {
                    if (p.createdMicros() < makingSince) {
                        gone.add(p.id());
                    }
                } else if (q.status() == null || r.get().status() == q.status()) {
                    page.add(r.get());
                }
            }
        }
        if (!gone.isEmpty()) {
            redis.run(DROP_FROM_BUYER, buyerKey(q.buyerId()), gone);
        }
        return page;
    }

    /**
     * Tells the sweep to look at the event when a hold that lapses before its next scheduled look expires (the
     * reserve script keeps that bound in the event, so most reservations need no such call). Should this fail,
     * the reservation stands, so the failure is only logged: the sweep finds the hold at its next look of the
     * event, at most {@link #IDLE_RECHECK} later for an event that had no holds.
     */
    private void holdMade(Reservation r) {
        try {
            redis.run(HOLD_MADE, globalKey, List.of(Long.toString(r.eventId()), RedisTime.micros(r.expiresAt())));
        } catch (RuntimeException e) {
            log.warn("Could not schedule the expiry of reservation {} in the Redis store at {}; the sweep finds it "
                    + "within {} s: {}", r.id(), description, IDLE_RECHECK.toSeconds(), e.getMessage());
        }
    }

    @Override
    public Optional<Reservation> findReservation(String reservationId) {
        long eventId = eventOf(reservationId);
        if (eventId < 0) {
            return Optional.empty();
        }
        List<?> r = (List<?>) redis.run(READ_RESERVATION, eventKey(eventId), List.of(reservationId));
        EventLayout layout = r == null ? null : layout(eventId, (String) r.get(7));
        return Optional.ofNullable(layout == null ? null : layout.reservation(eventId, r));
    }

    @Override
    public ReservationChange confirm(String reservationId, String paymentReference, Instant now) {
        long eventId = existingEventOf(reservationId);
        List<?> reply = (List<?>) redis.run(CONFIRM, eventKey(eventId), List.of(reservationId,
                paymentReference == null ? "0" : "1", paymentReference == null ? "" : paymentReference,
                RedisTime.nanos(now)));
        return change(eventId, reply, "reservation " + reservationId);
    }

    @Override
    public ReservationChange cancel(String reservationId, Instant now) {
        long eventId = existingEventOf(reservationId);
        List<?> reply = (List<?>) redis.run(CANCEL, eventKey(eventId), List.of(reservationId, RedisTime.nanos(now)));
        return change(eventId, reply, "reservation " + reservationId);
    }

    /**
     * Takes the events due for a look from the global schedule, expires each one's lapsed holds in one script
     * on that event, then schedules its next look: when its next hold lapses, or after {@link #IDLE_RECHECK}
     * if it has none, or never again once it is over and has none.
     */
    @Override
    public List<ReservationChange> expireHolds(Instant now, int limit) {
        List<ReservationChange> expired = new ArrayList<>();
        List<?> due = (List<?>) redis.run(DUE, globalKey, List.of(RedisTime.micros(now), Integer.toString(limit)));
        for (int i = 0; i < due.size() && expired.size() < limit; i += 2) {
            long eventId = Long.parseLong((String) due.get(i));
            String score = (String) due.get(i + 1);
            List<?> reply = (List<?>) redis.run(EXPIRE, eventKey(eventId), List.of(RedisTime.nanos(now),
                    RedisTime.micros(now), Integer.toString(limit - expired.size()), RedisTime.micros(now.plus(IDLE_RECHECK))));
            String next = "";
            if ("ok".equals(reply.get(0))) {
                for (Object one : (List<?>) reply.get(1)) {
                    expired.add(change(eventId, List.of("ok", ((List<?>) one).get(0), ((List<?>) one).get(1)), null));
                }
                next = (String) reply.get(2);
            }
            redis.run(RESCHEDULE, globalKey, List.of(Long.toString(eventId), score, next));
        }
        return expired;
    }

    /**
     * The change a reservation script answered: {@code ok} with the reservation and statistics, {@code replay}
     * or {@code same} with the reservation alone, else a refusal about {@code subject}.
     */
    private ReservationChange change(long eventId, List<?> reply, String subject) {
        checkOk(reply, subject);
        List<?> r = (List<?>) reply.get(1);
        EventLayout layout = layout(eventId, (String) r.get(7));
        if (layout == null) {
            throw TicketingException.notFound(subject + ": event " + eventId + " was deleted meanwhile");
        }
        Reservation reservation = layout.reservation(eventId, r);
        return new ReservationChange(reservation,
                "ok".equals(reply.get(0)) ? layout.statistics(eventId, (List<?>) reply.get(2)) : null);
    }

    /** Throws the refusal a script answered with {@code [code, message, extra]}; returns on any success. */
    private static void checkOk(List<?> reply, String subject) {
        String code = (String) reply.get(0);
        if (code.equals("ok") || code.equals("replay") || code.equals("same")) {
            return;
        }
        String message = (String) reply.get(1);
        switch (code) {
            case "not_found" -> throw TicketingException.notFound(subject + " " + message);
            case "conflict" -> throw TicketingException.conflict(subject + " " + message);
            case "seats_unavailable" -> throw new TicketingException(ErrorCode.SEATS_UNAVAILABLE, message);
            case "reservation_expired" -> throw new TicketingException(ErrorCode.RESERVATION_EXPIRED, subject
                    + " expired at " + TicketingJson.format(RedisTime.instant((String) reply.get(2))));
            default -> throw new IllegalStateException("unexpected reply from a Redis store script: " + code);
        }
    }

    /** The event id in a reservation id of this store, or -1 if it is not one. */
    private static long eventOf(String reservationId) {
        var m = RESERVATION_ID.matcher(reservationId);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long existingEventOf(String reservationId) {
        long eventId = eventOf(reservationId);
        if (eventId < 0) {
            throw TicketingException.notFound("reservation " + reservationId + " does not exist");
        }
        return eventId;
    }

    private String toJson(SeatingConfig config) {
        try {
            return json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a seating config is always JSON", e);
        }
    }

    private SeatingConfig fromJson(String config) {
        try {
            return json.readValue(config, SeatingConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable seating config in the Redis store at " + description, e);
        }
    }

    // ---- health ----

    /** Whether Redis answers and still has the store's marker key (it was not flushed). */
    @Override
    public boolean isHealthy() {
        try {
            return SCHEMA_VERSION.equals(redis.run(PING, globalKey, List.of()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        redis.close();
        log.debug("Redis store at {} closed", description);
    }

    @Override
    public String toString() {
        return "RedisTicketStore[" + description + ", prefix " + keyPrefix + "]";
    }

    /**
     * Settings of a {@link RedisTicketStore}, each with a default that works; {@link #build()} checks them,
     * connects and checks the store's schema marker.
     */
    public static final class Builder {
        public static final String DEFAULT_KEY_PREFIX = "ticketing:";
        public static final String DEFAULT_CLIENT_NAME = "ticketing-store";
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
        public static final int DEFAULT_MAX_CONNECTIONS = 32;
        public static final int DEFAULT_CHANGE_LOG_SIZE = 10_000;
        private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{0,64}");

        private final String url;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private String clientName = DEFAULT_CLIENT_NAME;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int changeLogSize = DEFAULT_CHANGE_LOG_SIZE;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /**
         * Every key of the store starts with this: up to 64 of {@code [A-Za-z0-9._:-]} (no braces, which would
         * change the hash tags). Default {@value #DEFAULT_KEY_PREFIX}.
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** Names the connections in {@code CLIENT LIST}: 1 to 64 of {@code [A-Za-z0-9._:-]}. Default {@value #DEFAULT_CLIENT_NAME}. */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /** How long connecting may take: 10 ms to 1 minute, default 2 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long a script's round trip may take before the operation fails as unavailable: 10 ms to 1 minute,
         * default 2 s.
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
            return this;
        }

        /** Connections per server (the pool's size; on a cluster, per node): 1 to 1000, default {@value #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * How many of its latest changes each event created from now on keeps in its change log: 1 to
         * 1,000,000, default 10,000 (about 60 bytes a change plus 8 a seat); the oldest is dropped as each
         * change is appended.
         */
        public Builder changeLogSize(int changeLogSize) {
            this.changeLogSize = changeLogSize;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is invalid (never the password)
         * @throws TicketingException       {@code UNAVAILABLE}, naming the masked URL, if Redis cannot be reached
         * @throws IllegalStateException    if the keys under the prefix are of another schema version
         */
        public RedisTicketStore build() {
            RedisEndpoint endpoint = RedisEndpoint.parse(url);
            if (!KEY_PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix must be up to 64 of [A-Za-z0-9._:-], was '" + keyPrefix + "'");
            }
            SettingChecks.clientName(clientName);
            SettingChecks.between("connectTimeout", connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
            SettingChecks.between("socketTimeout", socketTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
            SettingChecks.between("maxConnections", maxConnections, 1, 1000);
            SettingChecks.between("changeLogSize", changeLogSize, 1, 1_000_000);
            ScriptRunner runner = new JedisScriptRunner(endpoint, clientName, connectTimeout, socketTimeout, maxConnections);
            try {
                RedisTicketStore store = open(runner, keyPrefix, endpoint.toString(), changeLogSize);
                log.info("Redis store at {} ({}), key prefix '{}'", endpoint,
                        endpoint.cluster() ? "cluster, " + endpoint.nodes().size() + " seed nodes" : "one server", keyPrefix);
                return store;
            } catch (RuntimeException e) {
                runner.close();
                throw e;
            }
        }
    }
}

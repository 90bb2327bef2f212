package io.ticketing.core.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.core.json.TicketingJson;
import io.ticketing.core.model.ChangeType;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.LastEvent;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.SubsectionStatistics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps between result-set rows and the model; column lists shared by the store's queries. */
final class Rows {
    static final String EVENT_COLUMNS =
            "id, name, description, venue_name, seller_id, status, active, seating_config, created_at, max_seats_per_buyer";
    static final String STATISTICS_COLUMNS = "version, status, total_tickets, remaining, allocated, confirmed, "
            + "last_event_type, last_event_actor, last_event_seats, last_event_at";
    static final String RESERVATION_COLUMNS = "r.id, r.event_id, r.buyer_id, r.status, r.total_price, r.expires_at, "
            + "r.created_at, r.payment_reference, s.section, s.subsection, s.row_no, s.seat_no, s.price";

    private static final ObjectMapper JSON = TicketingJson.newObjectMapper();

    private Rows() {
    }

    static Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("venue_name"), rs.getLong("seller_id"), EventStatus.fromWire(rs.getString("status")),
                rs.getBoolean("active"), seatingConfig(rs.getString("seating_config")), instant(rs, "created_at"),
                new EventRules(rs.getObject("max_seats_per_buyer", Integer.class)));
    }

    /** The statistics of the current row ({@link #STATISTICS_COLUMNS}) with the given subsections. */
    static EventStatistics statistics(long eventId, ResultSet rs, List<SubsectionStatistics> sections)
            throws SQLException {
        Instant at = instant(rs, "last_event_at");
        LastEvent last = new LastEvent(ChangeType.fromWire(rs.getString("last_event_type")),
                rs.getString("last_event_actor"), rs.getInt("last_event_seats"), at);
        return new EventStatistics(eventId, rs.getLong("version"), EventStatus.fromWire(rs.getString("status")),
                rs.getInt("total_tickets"), rs.getInt("remaining"), rs.getInt("allocated"), rs.getInt("confirmed"),
                sections, last, at);
    }

    /** The same statistics with these subsections. */
    static EventStatistics statistics(EventStatistics totals, List<SubsectionStatistics> sections) {
        return new EventStatistics(totals.eventId(), totals.version(), totals.status(), totals.totalTickets(),
                totals.remainingTickets(), totals.allocatedTickets(), totals.confirmedTickets(), sections,
                totals.lastEvent(), totals.timestamp());
    }

    /** Reads one reservation from rows of {@link #RESERVATION_COLUMNS} (one per seat); null if there are none. */
    static Reservation reservation(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        String id = rs.getString("id");
        long eventId = rs.getLong("event_id");
        long buyerId = rs.getLong("buyer_id");
        ReservationStatus status = ReservationStatus.fromWire(rs.getString("status"));
        long totalPrice = rs.getLong("total_price");
        Instant expiresAt = instant(rs, "expires_at");
        Instant createdAt = instant(rs, "created_at");
        String paymentReference = rs.getString("payment_reference");
        List<ReservedSeat> seats = new ArrayList<>();
        do {
            if (rs.getString("section") != null) {
                seats.add(reservedSeat(rs));
            }
        } while (rs.next());
        return new Reservation(id, eventId, buyerId, status, seats, totalPrice, expiresAt, createdAt, paymentReference);
    }

    static ReservedSeat reservedSeat(ResultSet rs) throws SQLException {
        return new ReservedSeat(rs.getString("section"), rs.getInt("subsection"), rs.getInt("row_no"),
                rs.getInt("seat_no"), rs.getLong("price"));
    }

    static SeatStatus seatStatus(String wire) {
        return SeatStatus.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * Binds {@code instant} as a UTC {@code OffsetDateTime}, built without {@code OffsetDateTime.ofInstant},
     * whose {@code ZoneOffset.getRules()} allocates new rules per call.
     */
    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(),
                ZoneOffset.UTC), ZoneOffset.UTC));
    }

    static String json(SeatingConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write seating config as JSON", e);
        }
    }

    static SeatingConfig seatingConfig(String json) {
        try {
            return JSON.readValue(json, SeatingConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored seating config is not valid: " + json, e);
        }
    }
}

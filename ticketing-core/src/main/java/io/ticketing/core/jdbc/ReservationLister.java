package io.ticketing.core.jdbc;

import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.spi.ReservationPosition;
import io.ticketing.core.spi.ReservationQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists a buyer's reservations in one statement over the index {@code reservations_buyer_idx} (V10): the
 * page's ids in list order (ids compared as bytes, {@code COLLATE "C"}, as Java compares them), then their
 * seats.
 */
final class ReservationLister {
    private static final String ORDER = "r.created_at DESC, r.id COLLATE \"C\" DESC";
    private final Transactions tx;
    private final String sql;

    ReservationLister(String schema, Transactions tx) {
        this.tx = tx;
        this.sql = "WITH page AS (SELECT r.id, r.created_at FROM " + schema + ".reservations r WHERE r.buyer_id = ? "
                + "AND (?::bigint IS NULL OR r.event_id = ?) AND (?::text IS NULL OR r.status = ?) "
                + "AND (?::timestamptz IS NULL OR r.created_at < ? OR (r.created_at = ? AND r.id COLLATE \"C\" < ?)) "
                + "ORDER BY " + ORDER + " LIMIT ?) "
                + "SELECT " + Rows.RESERVATION_COLUMNS + " FROM page p JOIN " + schema + ".reservations r ON r.id = p.id "
                + "LEFT JOIN " + schema + ".reservation_seats s ON s.reservation_id = r.id ORDER BY " + ORDER
                + ", s.position";
    }

    List<Reservation> list(ReservationQuery q) {
        return tx.read("list reservations", connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setLong(1, q.buyerId());
                ps.setObject(2, q.eventId());
                ps.setObject(3, q.eventId());
                String status = q.status() == null ? null : q.status().wireName();
                ps.setString(4, status);
                ps.setString(5, status);
                ReservationPosition after = q.after();
                for (int i = 6; i <= 8; i++) {
                    if (after == null) {
                        ps.setObject(i, null, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        Rows.setInstant(ps, i, after.createdAt());
                    }
                }
                ps.setString(9, after == null ? null : after.id());
                ps.setInt(10, q.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    return reservations(rs);
                }
            }
        });
    }

    /** Groups the rows (one per seat, a reservation's rows together) into reservations, in row order. */
    private static List<Reservation> reservations(ResultSet rs) throws SQLException {
        List<Reservation> list = new ArrayList<>();
        Reservation current = null;
        List<ReservedSeat> seats = new ArrayList<>();
        while (rs.next()) {
            String id = rs.getString("id");
            if (current == null || !current.id().equals(id)) {
                if (current != null) {
                    list.add(withSeats(current, seats));
                }
                current = new Reservation(id, rs.getLong("event_id"), rs.getLong("buyer_id"),
                        ReservationStatus.fromWire(rs.getString("status")), List.of(), rs.getLong("total_price"),
                        Rows.instant(rs, "expires_at"), Rows.instant(rs, "created_at"), rs.getString("payment_reference"));
                seats = new ArrayList<>();
            }
            if (rs.getString("section") != null) {
                seats.add(Rows.reservedSeat(rs));
            }
        }
        if (current != null) {
            list.add(withSeats(current, seats));
        }
        return list;
    }

    private static Reservation withSeats(Reservation r, List<ReservedSeat> seats) {
        return new Reservation(r.id(), r.eventId(), r.buyerId(), r.status(), seats, r.totalPrice(), r.expiresAt(),
                r.createdAt(), r.paymentReference());
    }
}

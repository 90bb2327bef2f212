-- MEASUREMENT ONLY, never a migration of the product (docs/benchmarks.md, "Sales rules", "Seventeenth run"):
-- V16's reserve_best_seats without the sales rules, to measure what the rules cost the PostgreSQL store against
-- the same code without them. To build such a jar, from a worktree of the code under test:
--   cp scripts/pg-cpu/rules-stripped.sql \
--      ticketing-core/src/main/resources/io/ticketing/core/jdbc/migrations/V99__measurement_only_rules_stripped.sql
--   # add load(99, "measurement_only_rules_stripped") after the last load(...) in jdbc/Migrations.java, then
--   mvn -q -o -DskipTests -Dmaven.javadoc.skip=true package -pl ticketing-examples -am
-- The store's Java is unchanged: it calls the same function with the same arguments.
-- What is stripped: best available chosen as the pre-rules store chose (the lowest available seat ids of the
-- subsection, SKIP LOCKED, through the pre-rules partial index, added back below), no ranking (no advisory lock, no
-- seat_rows), no buyer count and no cap. Everything else of the hold as V16: the reservation and its seats, the
-- event's row and the change log in the same call. Only the best-available hold is replaced: a cancel still keeps
-- seat_rows and buyer_seats through record_seat_change (PostgresReservationBenchmark only reserves and confirms).
CREATE INDEX tickets_available_idx ON tickets (event_id, section, subsection, seat_id) WHERE status = 'available';

CREATE OR REPLACE FUNCTION reserve_best_seats(p_event_id bigint, p_section text, p_subsection integer, p_quantity integer,
                                   p_lock text, p_reservation_id text, p_buyer_id bigint, p_expires_at timestamptz,
                                   p_at timestamptz, p_type text, p_actor text)
RETURNS TABLE (held_position bigint, held_seat_id integer, held_section text, held_subsection smallint,
               held_row_no smallint, held_seat_no smallint, held_price bigint)
LANGUAGE plpgsql ROWS 4 SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_ids integer[];
    v_held integer;
    v_block integer;
    e events%ROWTYPE;
BEGIN
    -- The pre-rules store's hold statement: pick, lock, mark, insert the reservation and its seats.
    RETURN QUERY WITH c AS (SELECT f.tid, row_number() OVER (ORDER BY f.seat_id) AS position FROM (
            SELECT ctid AS tid, seat_id FROM tickets
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND status = 'available'
            ORDER BY seat_id LIMIT p_quantity FOR UPDATE SKIP LOCKED) f),
        h AS (UPDATE tickets t SET status = 'reserved' FROM c
            WHERE t.ctid = c.tid AND t.event_id = p_event_id AND t.status = 'available'
            RETURNING c.position, t.seat_id, t.section, t.subsection, t.row_no, t.seat_no, t.price),
        r AS (INSERT INTO reservations (id, event_id, buyer_id, status, total_price, expires_at, created_at, updated_at)
              SELECT p_reservation_id, p_event_id, p_buyer_id, 'held', coalesce(sum(h.price), 0), p_expires_at, p_at,
                     p_at FROM h),
        rs AS (INSERT INTO reservation_seats (reservation_id, position, seat_id, section, subsection, row_no, seat_no,
                                              price)
               SELECT p_reservation_id, h.position, h.seat_id, h.section, h.subsection, h.row_no, h.seat_no, h.price
               FROM h)
        SELECT * FROM h;
    GET DIAGNOSTICS v_held = ROW_COUNT;
    IF v_held < p_quantity THEN
        RAISE EXCEPTION USING ERRCODE = 'TK011', MESSAGE = v_held || ' of ' || p_quantity || ' seats available';
    END IF;
    -- As V16 from here, without seat_rows, buyer_seats and the cap; the log's seat ids read back by primary key.
    SELECT array_agg(rs.seat_id ORDER BY rs.seat_id) INTO v_ids FROM reservation_seats rs
    WHERE rs.reservation_id = p_reservation_id;
    SELECT c.block_no + 1 INTO v_block FROM subsection_counters c
    WHERE c.event_id = p_event_id AND c.section = p_section AND c.subsection = p_subsection;
    WITH u AS (UPDATE events SET version = version + 1, remaining = remaining - v_held,
            allocated = allocated + v_held, sub_remaining[v_block] = sub_remaining[v_block] - v_held,
            sub_allocated[v_block] = sub_allocated[v_block] + v_held,
            status = CASE WHEN remaining - v_held = 0 THEN 'sold_out' ELSE status END,
            last_event_type = p_type, last_event_actor = p_actor, last_event_seats = v_held,
            last_event_at = p_at, updated_at = p_at
        WHERE id = p_event_id AND active AND status = 'available'
        RETURNING *),
    logged AS (INSERT INTO event_changes (event_id, version, type, actor, at, seat_ids, status)
               SELECT p_event_id, u.version, p_type, p_actor, p_at, v_ids, 'reserved' FROM u)
    SELECT * INTO e FROM u;
    IF NOT FOUND THEN
        SELECT * INTO e FROM events WHERE id = p_event_id;
        RAISE EXCEPTION USING ERRCODE = 'TK001', MESSAGE = coalesce(e.status, 'missing'),
            DETAIL = CASE WHEN e.active IS FALSE THEN 'inactive' ELSE '' END;
    END IF;
END
$$;

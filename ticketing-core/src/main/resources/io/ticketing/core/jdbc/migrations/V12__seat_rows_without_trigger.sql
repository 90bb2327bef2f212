-- Schema version 12: cheaper best-available holds and seat changes. Runs with search_path set to the
-- store's schema.
-- * seat_rows is kept by record_seat_change, through which every change of a seat's availability passes
--   (holds, cancels, expiries, refunds; a confirm leaves it), instead of by a statement trigger on tickets,
--   which captured transition tables on every update of tickets, confirms included.
-- * tickets_available_idx goes: nothing reads it since best available reads seat_rows (V11), and because
--   status was in its predicate, no seat change could be a heap-only update (every one added index entries).
-- * hold_best_seats locks and marks its seats in one statement instead of a lock and an update per seat.

DROP TRIGGER tickets_track_seat_rows ON tickets;
DROP FUNCTION track_seat_rows();
DROP INDEX tickets_available_idx;

-- As in V8, and: the seat_rows of the moved seats follow them when their availability changes, one
-- update per seat row, in key order, so that concurrent changes lock seat rows in the same order and
-- never deadlock. Each update re-reads the seat row's newest version once it holds its lock, so changes
-- of one row by concurrent transactions add up. Seat rows are changed before the event's row is locked.
CREATE OR REPLACE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_reservation_id text, p_seats integer, p_from text, p_to text, p_buyer_id bigint)
RETURNS SETOF events
LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_seat_ids integer[] := '{}';
    v_block_size integer;
    v_delta integer := ((p_to <> 'available')::integer - (p_from <> 'available')::integer) * p_seats;
    v_bit integer := (p_to = 'available')::integer;
    v_buyer_seats integer;
    r record;
    e events%ROWTYPE;
BEGIN
    IF v_delta <> 0 THEN
        INSERT INTO buyer_seats AS b (event_id, buyer_id, seats) VALUES (p_event_id, p_buyer_id, v_delta)
        ON CONFLICT (event_id, buyer_id) DO UPDATE SET seats = b.seats + v_delta
        RETURNING b.seats INTO v_buyer_seats;
    END IF;
    FOR r IN SELECT rs.section, rs.subsection, rs.row_no, array_agg(t.seat_id) AS seat_ids,
                    array_agg(rs.seat_no::integer) AS seats
             FROM reservation_seats rs JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
             WHERE rs.reservation_id = p_reservation_id AND t.status = p_to
             GROUP BY rs.section, rs.subsection, rs.row_no
             ORDER BY rs.section, rs.subsection, rs.row_no LOOP
        v_seat_ids := v_seat_ids || r.seat_ids;
        IF (p_from = 'available') <> (p_to = 'available') THEN
            UPDATE seat_rows s SET (free, mask, open) = (SELECT f, m, m <> 0 FROM (SELECT f, row_mask(f) AS m
                    FROM (SELECT with_seats(s.free, r.seats, array_fill(v_bit, ARRAY[cardinality(r.seats)])) AS f) AS x) AS y)
            WHERE s.event_id = p_event_id AND s.section = r.section AND s.subsection = r.subsection
              AND s.row_no = r.row_no;
        END IF;
    END LOOP;
    SELECT c.total INTO v_block_size FROM subsection_counters c WHERE c.event_id = p_event_id AND c.block_no = 0;
    e := apply_seat_change(p_event_id, p_guard, p_type, p_actor, p_at, v_seat_ids, v_block_size, p_seats,
        p_from, p_to, 'reservation ' || p_reservation_id);
    IF v_delta > 0 AND v_buyer_seats > e.max_seats_per_buyer THEN
        RAISE EXCEPTION USING ERRCODE = 'TK003', MESSAGE = v_buyer_seats - v_delta,
            DETAIL = e.max_seats_per_buyer;
    END IF;
    RETURN NEXT e;
END
$$;

-- As in V11, but the chosen seats are locked and marked reserved by one UPDATE (by primary key, in seat_id
-- order, waiting for seats that other transactions are changing; a seat taken meanwhile is left out). The
-- UPDATE is a statement of its own, so its snapshot is taken after the subsection's lock and sees every
-- seat freed before that lock was granted. record_seat_change marks the held seats in seat_rows.
CREATE OR REPLACE FUNCTION hold_best_seats(p_event_id bigint, p_section text, p_subsection integer,
                                           p_quantity integer, p_lock text)
RETURNS TABLE (held_position bigint, held_seat_id integer, held_section text, held_subsection smallint,
               held_row_no smallint, held_seat_no smallint, held_price bigint)
LANGUAGE plpgsql ROWS 4 SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_row seat_rows%ROWTYPE;
    v_ids integer[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_lock, 0));
    SELECT * INTO v_row FROM seat_rows
    WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection
      AND open AND (mask >> p_quantity) & 1 <> 0
    ORDER BY row_no LIMIT 1;
    IF NOT FOUND THEN
        SELECT * INTO v_row FROM seat_rows
        WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection
          AND open AND (mask >> p_quantity) & 3 <> 0
        ORDER BY row_no LIMIT 1;
    END IF;
    IF FOUND THEN
        v_ids := ARRAY(SELECT generate_series(0, p_quantity - 1) + v_row.first_seat_id - 1
                              + best_run(v_row.free, p_quantity));
    ELSE
        FOR v_row IN SELECT * FROM seat_rows
                     WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND open
                     ORDER BY row_no LOOP
            v_ids := v_ids || ARRAY(SELECT v_row.first_seat_id - 1 + seat
                                    FROM unnest(near_middle(v_row.free, p_quantity - cardinality(v_ids))) AS seat);
            EXIT WHEN cardinality(v_ids) = p_quantity;
        END LOOP;
        IF cardinality(v_ids) < p_quantity THEN
            -- The seat change's own guard (on_sale), so that an event not on sale is refused as such.
            PERFORM 1 FROM events WHERE id = p_event_id AND active AND status = 'available';
            IF FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'TK011', MESSAGE = cardinality(v_ids) || ' of ' || p_quantity
                    || ' seats available';
            END IF;
        END IF;
    END IF;
    RETURN QUERY UPDATE tickets t SET status = 'reserved'
        WHERE t.event_id = p_event_id AND t.seat_id = ANY (v_ids) AND t.status = 'available'
        RETURNING array_position(v_ids, t.seat_id)::bigint, t.seat_id, t.section, t.subsection, t.row_no,
                  t.seat_no, t.price;
END
$$;

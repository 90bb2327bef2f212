-- Schema version 16: less work per reservation in the database. Runs with search_path set to the store's
-- schema.
-- * seat_rows.fits is a plain column, kept by the statements that write seat_rows (reserve_best_seats,
--   record_seat_change, the store's insert of a new event's rows) instead of a generated column, whose
--   expression every statement that writes the table parsed again. Its values stay as they were.
-- * event_changes loses its CHECK on status (parsed again by every insert, two per reservation): the
--   functions and the store write only 'available', 'reserved', 'sold' or null there.
-- * confirm_reservation records a confirm of seats in one subsection (every best-available reservation)
--   itself, in the statement that updates the event's row, instead of calling apply_seat_change; other
--   confirms still go through apply_seat_change. Same result, same errors, same lock order.

ALTER TABLE seat_rows ALTER COLUMN fits DROP EXPRESSION;
ALTER TABLE event_changes DROP CONSTRAINT event_changes_status_check;

-- As in V15, and the seat rows' fits set with their mask.
CREATE OR REPLACE FUNCTION reserve_best_seats(p_event_id bigint, p_section text, p_subsection integer, p_quantity integer,
                                   p_lock text, p_reservation_id text, p_buyer_id bigint, p_expires_at timestamptz,
                                   p_at timestamptz, p_type text, p_actor text)
RETURNS TABLE (held_position bigint, held_seat_id integer, held_section text, held_subsection smallint,
               held_row_no smallint, held_seat_no smallint, held_price bigint)
LANGUAGE plpgsql ROWS 4 SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off
SET plan_cache_mode TO force_generic_plan AS $$
DECLARE
    v_row seat_rows%ROWTYPE;
    v_ids integer[] := '{}';
    v_first integer;
    v_rows integer[] := '{}';   -- the seat rows of the chosen seats, front first
    v_keeps varbit[] := '{}';   -- for each, its bits with the chosen seats' cleared (the others set)
    v_keep varbit;
    v_held integer;
    v_block integer;            -- the subsection's subscript in the event's sub_* arrays (block_no + 1)
    v_buyer_seats integer;
    e events%ROWTYPE;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_lock, 0));
    -- One query per quantity: a partial index serves a query only if its predicate is in the query's text.
    CASE p_quantity
        WHEN 1 THEN
            SELECT * INTO v_row FROM seat_rows
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND fits & 1 <> 0
            ORDER BY row_no LIMIT 1;
        WHEN 2 THEN
            SELECT * INTO v_row FROM seat_rows
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND fits & 2 <> 0
            ORDER BY row_no LIMIT 1;
        WHEN 3 THEN
            SELECT * INTO v_row FROM seat_rows
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND fits & 4 <> 0
            ORDER BY row_no LIMIT 1;
        WHEN 4 THEN
            SELECT * INTO v_row FROM seat_rows
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND fits & 8 <> 0
            ORDER BY row_no LIMIT 1;
        ELSE
            SELECT * INTO v_row FROM seat_rows
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection
              AND open AND (mask >> p_quantity) & 1 <> 0
            ORDER BY row_no LIMIT 1;
    END CASE;
    IF NOT FOUND THEN
        SELECT * INTO v_row FROM seat_rows
        WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection
          AND open AND (mask >> p_quantity) & 3 <> 0
        ORDER BY row_no LIMIT 1;
    END IF;
    IF FOUND THEN
        v_first := best_run(v_row.free, p_quantity);
        v_keep := ~ (v_row.free # v_row.free); -- all ones, the row's length
        FOR i IN 0..p_quantity - 1 LOOP -- expressions, not queries
            v_ids := v_ids || (v_row.first_seat_id - 1 + v_first + i);
            v_keep := set_bit(v_keep, v_first - 1 + i, 0);
        END LOOP;
        v_rows := ARRAY[v_row.row_no];
        v_keeps := ARRAY[v_keep];
    ELSE
        FOR v_row IN SELECT * FROM seat_rows
                     WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND open
                     ORDER BY row_no LOOP
            v_keep := ~ (v_row.free # v_row.free);
            FOREACH v_first IN ARRAY near_middle(v_row.free, p_quantity - cardinality(v_ids)) LOOP
                v_ids := v_ids || (v_row.first_seat_id - 1 + v_first);
                v_keep := set_bit(v_keep, v_first - 1, 0);
            END LOOP;
            v_rows := v_rows || v_row.row_no;
            v_keeps := v_keeps || v_keep;
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
    -- The seats, locked and marked reserved by primary key, and the reservation with its seats: one statement.
    RETURN QUERY WITH h AS (UPDATE tickets t SET status = 'reserved'
            WHERE t.event_id = p_event_id AND t.seat_id = ANY (v_ids) AND t.status = 'available'
            RETURNING array_position(v_ids, t.seat_id)::bigint AS position, t.seat_id, t.section, t.subsection,
                      t.row_no, t.seat_no, t.price),
        r AS (INSERT INTO reservations (id, event_id, buyer_id, status, total_price, expires_at, created_at, updated_at)
              SELECT p_reservation_id, p_event_id, p_buyer_id, 'held', coalesce(sum(h.price), 0), p_expires_at, p_at,
                     p_at FROM h),
        rs AS (INSERT INTO reservation_seats (reservation_id, position, seat_id, section, subsection, row_no, seat_no,
                                              price)
               SELECT p_reservation_id, h.position, h.seat_id, h.section, h.subsection, h.row_no, h.seat_no, h.price
               FROM h)
        SELECT * FROM h;
    GET DIAGNOSTICS v_held = ROW_COUNT;
    IF v_held = p_quantity THEN
        FOR i IN 1..cardinality(v_rows) LOOP
            UPDATE seat_rows s SET (free, mask, open, fits) = (SELECT f, m, m <> 0, ((m >> 1) & 15)::smallint
                    FROM (SELECT f, row_mask(f) AS m FROM (SELECT s.free & v_keeps[i] AS f OFFSET 0) AS x OFFSET 0) AS y)
            WHERE s.event_id = p_event_id AND s.section = p_section AND s.subsection = p_subsection
              AND s.row_no = v_rows[i];
        END LOOP;
    END IF;
    INSERT INTO buyer_seats AS b (event_id, buyer_id, seats) VALUES (p_event_id, p_buyer_id, p_quantity)
    ON CONFLICT (event_id, buyer_id) DO UPDATE SET seats = b.seats + p_quantity
    RETURNING b.seats INTO v_buyer_seats;
    SELECT c.block_no + 1 INTO v_block FROM subsection_counters c
    WHERE c.event_id = p_event_id AND c.section = p_section AND c.subsection = p_subsection;
    -- apply_seat_change's update for available -> reserved under the on_sale guard, all seats in one block.
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
    IF v_held <> p_quantity THEN
        RAISE EXCEPTION USING ERRCODE = 'TK002', MESSAGE = v_held || ' of ' || p_quantity
            || ' seats of reservation ' || p_reservation_id || ' are reserved';
    END IF;
    IF v_buyer_seats > e.max_seats_per_buyer THEN
        RAISE EXCEPTION USING ERRCODE = 'TK003', MESSAGE = v_buyer_seats - p_quantity, DETAIL = e.max_seats_per_buyer;
    END IF;
END
$$;

-- As in V15, and the seat rows' fits set with their mask.
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
    IF (p_from = 'available') = (p_to = 'available') THEN
        SELECT array_agg(t.seat_id),
               (SELECT c.total FROM subsection_counters c WHERE c.event_id = p_event_id AND c.block_no = 0)
        INTO v_seat_ids, v_block_size
        FROM reservation_seats rs JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
        WHERE rs.reservation_id = p_reservation_id AND t.status = p_to;
    ELSE
        FOR r IN SELECT rs.section, rs.subsection, rs.row_no, array_agg(t.seat_id) AS seat_ids,
                        array_agg(rs.seat_no::integer) AS seats
                 FROM reservation_seats rs JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
                 WHERE rs.reservation_id = p_reservation_id AND t.status = p_to
                 GROUP BY rs.section, rs.subsection, rs.row_no
                 ORDER BY rs.section, rs.subsection, rs.row_no LOOP
            v_seat_ids := v_seat_ids || r.seat_ids;
            -- OFFSET 0 keeps each subquery from being merged into the next, which would compute the bits
            -- once for every use.
            UPDATE seat_rows s SET (free, mask, open, fits) = (SELECT f, m, m <> 0, ((m >> 1) & 15)::smallint
                    FROM (SELECT f, row_mask(f) AS m
                    FROM (SELECT with_seats(s.free, r.seats, array_fill(v_bit, ARRAY[cardinality(r.seats)])) AS f
                          OFFSET 0) AS x OFFSET 0) AS y)
            WHERE s.event_id = p_event_id AND s.section = r.section AND s.subsection = r.subsection
              AND s.row_no = r.row_no;
        END LOOP;
        SELECT c.total INTO v_block_size FROM subsection_counters c WHERE c.event_id = p_event_id AND c.block_no = 0;
    END IF;
    IF v_delta <> 0 THEN
        INSERT INTO buyer_seats AS b (event_id, buyer_id, seats) VALUES (p_event_id, p_buyer_id, v_delta)
        ON CONFLICT (event_id, buyer_id) DO UPDATE SET seats = b.seats + v_delta
        RETURNING b.seats INTO v_buyer_seats;
    END IF;
    e := apply_seat_change(p_event_id, p_guard, p_type, p_actor, p_at, v_seat_ids, v_block_size, p_seats,
        p_from, p_to, 'reservation ' || p_reservation_id);
    IF v_delta > 0 AND v_buyer_seats > e.max_seats_per_buyer THEN
        RAISE EXCEPTION USING ERRCODE = 'TK003', MESSAGE = v_buyer_seats - v_delta,
            DETAIL = e.max_seats_per_buyer;
    END IF;
    RETURN NEXT e;
END
$$;

-- As in V7 to V15 (confirms hold p_id at p_at: the reservation becomes confirmed with p_payment_reference,
-- its seats move from reserved to sold, recorded as ticket.confirmed by buyer:<buyer id>; returns the
-- event's new row; returns no row and changes nothing when the reservation does not exist, is not held, or
-- its hold has lapsed), but when every seat of the reservation moved and all are in one subsection, the
-- event's row and the change log are updated here, as apply_seat_change would for reserved -> sold (remaining
-- unchanged, the status set by the same rule), without a second PL/pgSQL call. Otherwise apply_seat_change
-- records it and raises its errors.
CREATE OR REPLACE FUNCTION confirm_reservation(p_id text, p_payment_reference text, p_at timestamptz)
RETURNS SETOF events
LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_event_id bigint;
    v_buyer_id bigint;
    v_seat_ids integer[];   -- the seats that moved, in seat_id order
    v_seats integer;
    v_block_size integer;
    v_moved integer;
    v_block integer;        -- the first seat's subscript in the event's sub_* arrays (block_no + 1)
    e events%ROWTYPE;
BEGIN
    -- The condition is a CASE so that no plan uses the partial index of held reservations by expiry
    -- (see V4): the reservation is found by its primary key.
    WITH r AS (UPDATE reservations SET status = 'confirmed', payment_reference = p_payment_reference, updated_at = p_at
               WHERE id = p_id AND CASE WHEN status = 'held' THEN expires_at > p_at ELSE false END
               RETURNING event_id, buyer_id),
         m AS (UPDATE tickets t SET status = 'sold' FROM r, reservation_seats rs
               WHERE rs.reservation_id = p_id AND t.event_id = r.event_id AND t.seat_id = rs.seat_id
                 AND t.status = 'reserved'
               RETURNING t.seat_id)
    SELECT r.event_id, r.buyer_id, (SELECT array_agg(m.seat_id ORDER BY m.seat_id) FROM m),
           (SELECT count(*)::integer FROM reservation_seats rs WHERE rs.reservation_id = p_id),
           (SELECT c.total FROM subsection_counters c WHERE c.event_id = r.event_id AND c.block_no = 0)
    INTO v_event_id, v_buyer_id, v_seat_ids, v_seats, v_block_size
    FROM r;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    v_moved := coalesce(cardinality(v_seat_ids), 0);
    v_block := (v_seat_ids[1] - 1) / v_block_size + 1;
    IF v_moved = 0 OR v_moved <> v_seats OR (v_seat_ids[v_moved] - 1) / v_block_size + 1 <> v_block THEN
        RETURN NEXT apply_seat_change(v_event_id, 'any', 'ticket.confirmed', 'buyer:' || v_buyer_id, p_at,
            v_seat_ids, v_block_size, v_seats, 'reserved', 'sold', 'reservation ' || p_id);
        RETURN;
    END IF;
    WITH u AS (UPDATE events SET version = version + 1, allocated = allocated - v_moved,
            confirmed = confirmed + v_moved, sub_allocated[v_block] = sub_allocated[v_block] - v_moved,
            sub_confirmed[v_block] = sub_confirmed[v_block] + v_moved,
            status = CASE WHEN status = 'available' AND remaining = 0 THEN 'sold_out'
                          WHEN status = 'sold_out' AND remaining > 0 THEN 'available'
                          ELSE status END,
            last_event_type = 'ticket.confirmed', last_event_actor = 'buyer:' || v_buyer_id,
            last_event_seats = v_moved, last_event_at = p_at, updated_at = p_at
        WHERE id = v_event_id
        RETURNING *),
    logged AS (INSERT INTO event_changes (event_id, version, type, actor, at, seat_ids, status)
               SELECT v_event_id, u.version, 'ticket.confirmed', 'buyer:' || v_buyer_id, p_at, v_seat_ids, 'sold'
               FROM u)
    SELECT * INTO e FROM u;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'TK001', MESSAGE = 'missing', DETAIL = '';
    END IF;
    RETURN NEXT e;
END
$$;

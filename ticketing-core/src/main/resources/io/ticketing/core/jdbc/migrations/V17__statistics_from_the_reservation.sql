-- Schema version 17: a best-available reservation returns the event's new statistics. Runs with search_path set
-- to the store's schema.
-- * reserve_best_seats returns, in each row of a held seat, the event's statistics as its row holds them after
--   the change (stat_version … stat_sub_confirmed: Snapshots.COLUMNS), so the store no longer reads the
--   event's row with a statement of its own, which ran while the transaction held that row's lock.
-- * It finds the subsection's subscript in the event's sub_* arrays from the first chosen seat's id and the
--   event's row that it updates (seat_id numbers an event's seats in subsection block order, every block of
--   total_tickets / cardinality(sub_remaining) seats, as subsection_counters.total says) instead of reading
--   subsection_counters.
-- Same choice, same errors, same lock order (seats, seat rows, the buyer's count, the event's row).

DROP FUNCTION reserve_best_seats(bigint, text, integer, integer, text, text, bigint, timestamptz, timestamptz, text,
                                 text);

-- As in V16 (holds p_quantity seats of the subsection as BestAvailable ranks them for reservation
-- p_reservation_id of buyer p_buyer_id and records the seat change, raising TK011, TK001, TK002 or TK003),
-- and each row of a held seat carries the event's statistics after the change.
CREATE FUNCTION reserve_best_seats(p_event_id bigint, p_section text, p_subsection integer, p_quantity integer,
                                   p_lock text, p_reservation_id text, p_buyer_id bigint, p_expires_at timestamptz,
                                   p_at timestamptz, p_type text, p_actor text)
RETURNS TABLE (held_position bigint, held_seat_id integer, held_section text, held_subsection smallint,
               held_row_no smallint, held_seat_no smallint, held_price bigint,
               stat_version bigint, stat_status text, stat_total_tickets integer, stat_remaining integer,
               stat_allocated integer, stat_confirmed integer, stat_last_event_type text, stat_last_event_actor text,
               stat_last_event_seats integer, stat_last_event_at timestamptz, stat_sub_remaining integer[],
               stat_sub_allocated integer[], stat_sub_confirmed integer[])
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
    v_seats reservation_seats[]; -- the held seats as inserted, in no particular order
    v_seat reservation_seats%ROWTYPE;
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
    WITH h AS (UPDATE tickets t SET status = 'reserved'
            WHERE t.event_id = p_event_id AND t.seat_id = ANY (v_ids) AND t.status = 'available'
            RETURNING array_position(v_ids, t.seat_id)::bigint AS position, t.seat_id, t.section, t.subsection,
                      t.row_no, t.seat_no, t.price),
        r AS (INSERT INTO reservations (id, event_id, buyer_id, status, total_price, expires_at, created_at, updated_at)
              SELECT p_reservation_id, p_event_id, p_buyer_id, 'held', coalesce(sum(h.price), 0), p_expires_at, p_at,
                     p_at FROM h),
        rs AS (INSERT INTO reservation_seats (reservation_id, position, seat_id, section, subsection, row_no, seat_no,
                                              price)
               SELECT p_reservation_id, h.position, h.seat_id, h.section, h.subsection, h.row_no, h.seat_no, h.price
               FROM h
               RETURNING *)
    SELECT array_agg(rs) INTO v_seats FROM rs;
    v_held := coalesce(cardinality(v_seats), 0);
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
    -- apply_seat_change's update for available -> reserved under the on_sale guard, all seats in one block:
    -- the first chosen seat's (the row matches only if the event is on sale, and then all were chosen).
    WITH u AS (UPDATE events SET version = version + 1, remaining = remaining - v_held,
            allocated = allocated + v_held,
            sub_remaining[(v_ids[1] - 1) / (total_tickets / cardinality(sub_remaining)) + 1]
                = sub_remaining[(v_ids[1] - 1) / (total_tickets / cardinality(sub_remaining)) + 1] - v_held,
            sub_allocated[(v_ids[1] - 1) / (total_tickets / cardinality(sub_remaining)) + 1]
                = sub_allocated[(v_ids[1] - 1) / (total_tickets / cardinality(sub_remaining)) + 1] + v_held,
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
    stat_version := e.version;
    stat_status := e.status;
    stat_total_tickets := e.total_tickets;
    stat_remaining := e.remaining;
    stat_allocated := e.allocated;
    stat_confirmed := e.confirmed;
    stat_last_event_type := e.last_event_type;
    stat_last_event_actor := e.last_event_actor;
    stat_last_event_seats := e.last_event_seats;
    stat_last_event_at := e.last_event_at;
    stat_sub_remaining := e.sub_remaining;
    stat_sub_allocated := e.sub_allocated;
    stat_sub_confirmed := e.sub_confirmed;
    FOREACH v_seat IN ARRAY v_seats LOOP -- assignments, not queries
        held_position := v_seat.position;
        held_seat_id := v_seat.seat_id;
        held_section := v_seat.section;
        held_subsection := v_seat.subsection;
        held_row_no := v_seat.row_no;
        held_seat_no := v_seat.seat_no;
        held_price := v_seat.price;
        RETURN NEXT;
    END LOOP;
END
$$;


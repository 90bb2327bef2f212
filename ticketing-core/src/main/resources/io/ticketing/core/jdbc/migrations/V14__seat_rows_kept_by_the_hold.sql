-- Schema version 14: a best-available hold keeps its seat row itself. Runs with search_path set to the
-- store's schema.
-- * hold_best_seats updates the seat rows of the seats it held from the rows it already read (the seats'
--   bits cleared, the mask recomputed once), instead of record_seat_change finding them again by a grouped
--   query over the reservation's seats and updating each with nested sub-selects.
-- * record_seat_change takes p_seat_rows_kept: true for a hold made by hold_best_seats, whose seat rows are
--   kept; otherwise it updates them as in V12.
-- * apply_seat_change appends to event_changes in the statement that updates the event's row.
-- * Every seat change takes its row locks in one order: tickets, seat rows, the buyer's buyer_seats row,
--   the event's row (V8 to V13 took the buyer's row before the seat rows; with the hold's seat rows
--   updated in the hold's own statement, that order would let a hold and a cancel of the same buyer and
--   row wait for each other).

-- As in V13, but with generic plans only (V13's were planned again on every call, about 50 µs: the custom
-- plan of a statement over an array parameter, seat_id = ANY (v_ids), looks cheaper than the generic one,
-- so the plan cache never settles on the generic plan; every statement here finds rows by key), and: once
-- every chosen seat is held, clears their bits in their seat rows, in row order (the
-- order record_seat_change takes them in), each row's mask recomputed once. The seat row's newest version
-- is updated (changes by concurrent cancels and explicit holds add up), after the tickets' locks. A hold
-- that got fewer seats than chosen leaves the seat rows alone: its seat change refuses it and it rolls back.
CREATE OR REPLACE FUNCTION hold_best_seats(p_event_id bigint, p_section text, p_subsection integer,
                                           p_quantity integer, p_lock text)
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
    RETURN QUERY UPDATE tickets t SET status = 'reserved'
        WHERE t.event_id = p_event_id AND t.seat_id = ANY (v_ids) AND t.status = 'available'
        RETURNING array_position(v_ids, t.seat_id)::bigint, t.seat_id, t.section, t.subsection, t.row_no,
                  t.seat_no, t.price;
    GET DIAGNOSTICS v_held = ROW_COUNT;
    IF v_held = p_quantity THEN
        FOR i IN 1..cardinality(v_rows) LOOP
            UPDATE seat_rows SET free = free & v_keeps[i], mask = row_mask(free & v_keeps[i]),
                                 open = bit_count(free & v_keeps[i]) > 0
            WHERE event_id = p_event_id AND section = p_section AND subsection = p_subsection AND row_no = v_rows[i];
        END LOOP;
    END IF;
END
$$;

-- As in V12, but the change is appended to event_changes by the statement that updates the event's row
-- (one statement instead of two per seat change). Internal to record_seat_change and confirm_reservation.
CREATE OR REPLACE FUNCTION apply_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_seat_ids integer[], p_block_size integer, p_seats integer, p_from text, p_to text, p_what text)
RETURNS events
LANGUAGE plpgsql AS $$
DECLARE
    e events%ROWTYPE;
    moved integer := coalesce(cardinality(p_seat_ids), 0);
    d_remaining integer := (p_to = 'available')::integer - (p_from = 'available')::integer;
    d_allocated integer := (p_to = 'reserved')::integer - (p_from = 'reserved')::integer;
    d_confirmed integer := (p_to = 'sold')::integer - (p_from = 'sold')::integer;
    blocks integer[] := '{}'; -- subscripts (block_no + 1) of the blocks with moved seats
    counts integer[] := '{}'; -- how many moved in each
    s integer;
    b integer;
    k integer;
BEGIN
    FOREACH s IN ARRAY coalesce(p_seat_ids, '{}') LOOP
        b := (s - 1) / p_block_size + 1;
        k := array_position(blocks, b);
        IF k IS NULL THEN
            blocks := blocks || b;
            counts := counts || 1;
        ELSE
            counts[k] := counts[k] + 1;
        END IF;
    END LOOP;
    b := coalesce(blocks[1], 1);
    k := coalesce(counts[1], 0);
    WITH u AS (UPDATE events SET version = version + 1,
            remaining = remaining + d_remaining * moved, allocated = allocated + d_allocated * moved,
            confirmed = confirmed + d_confirmed * moved,
            sub_remaining[b] = sub_remaining[b] + d_remaining * k, sub_allocated[b] = sub_allocated[b] + d_allocated * k,
            sub_confirmed[b] = sub_confirmed[b] + d_confirmed * k,
            status = CASE WHEN status = 'available' AND remaining + d_remaining * moved = 0 THEN 'sold_out'
                          WHEN status = 'sold_out' AND remaining + d_remaining * moved > 0 THEN 'available'
                          ELSE status END,
            last_event_type = p_type, last_event_actor = p_actor, last_event_seats = moved,
            last_event_at = p_at, updated_at = p_at
        WHERE id = p_event_id
          AND CASE p_guard WHEN 'on_sale' THEN active AND status = 'available'
                           WHEN 'refundable' THEN status NOT IN ('ended', 'completed')
                           ELSE true END
        RETURNING *),
    logged AS (INSERT INTO event_changes (event_id, version, type, actor, at, seat_ids, status)
               SELECT p_event_id, u.version, p_type, p_actor, p_at, coalesce(p_seat_ids, '{}'), p_to FROM u)
    SELECT * INTO e FROM u;
    IF NOT FOUND THEN
        SELECT * INTO e FROM events WHERE id = p_event_id;
        RAISE EXCEPTION USING ERRCODE = 'TK001', MESSAGE = coalesce(e.status, 'missing'),
            DETAIL = CASE WHEN e.active IS FALSE THEN 'inactive' ELSE '' END;
    END IF;
    IF moved <> p_seats THEN
        RAISE EXCEPTION USING ERRCODE = 'TK002', MESSAGE = moved || ' of ' || p_seats || ' seats of ' || p_what
            || ' are ' || p_to;
    END IF;
    -- Seats in further blocks (explicit seats across subsections): one more small update per block.
    FOR i IN 2..cardinality(blocks) LOOP
        b := blocks[i];
        k := counts[i];
        UPDATE events SET sub_remaining[b] = sub_remaining[b] + d_remaining * k,
            sub_allocated[b] = sub_allocated[b] + d_allocated * k, sub_confirmed[b] = sub_confirmed[b] + d_confirmed * k
        WHERE id = p_event_id
        RETURNING * INTO e;
    END LOOP;
    RETURN e;
END
$$;

DROP FUNCTION record_seat_change(bigint, text, text, text, timestamptz, text, integer, text, text, bigint);

-- As in V12, and: with p_seat_rows_kept (a hold by hold_best_seats, which kept its seat rows) the seats are
-- only collected, in one query with the block size (as V8 did); the buyer's row is locked after the seat
-- rows, before the event's.
CREATE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_reservation_id text, p_seats integer, p_from text, p_to text, p_buyer_id bigint, p_seat_rows_kept boolean)
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
    IF p_seat_rows_kept OR (p_from = 'available') = (p_to = 'available') THEN
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
            UPDATE seat_rows s SET (free, mask, open) = (SELECT f, m, m <> 0 FROM (SELECT f, row_mask(f) AS m
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

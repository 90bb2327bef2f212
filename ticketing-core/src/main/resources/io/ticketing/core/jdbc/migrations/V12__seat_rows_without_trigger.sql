-- Schema version 12: cheaper best-available holds and seat changes. Runs with search_path set to the
-- store's schema.
-- * seat_rows is kept by record_seat_change, through which every change of a seat's availability passes
--   (holds, cancels, expiries, refunds; a confirm leaves it), instead of by a statement trigger on tickets,
--   which captured transition tables on every update of tickets, confirms included.
-- * tickets_available_idx goes: nothing reads it since best available reads seat_rows (V11), and because
--   status was in its predicate, no seat change could be a heap-only update (every one added index entries).
-- * hold_best_seats locks and marks its seats in one statement instead of a lock and an update per seat.
-- * apply_seat_change is one function again (V9 wrapped V7's in a second PL/pgSQL call to log the change).

DROP TRIGGER tickets_track_seat_rows ON tickets;
DROP FUNCTION track_seat_rows();
DROP INDEX tickets_available_idx;

-- As apply_seat_change of V9: V7's update of the event's row (apply_seat_change_counts, now merged into
-- it: one PL/pgSQL call per seat change instead of two) and the change appended to event_changes.
-- Internal to record_seat_change and confirm_reservation: it runs with their settings.
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
    UPDATE events SET version = version + 1,
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
    RETURNING * INTO e;
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
    INSERT INTO event_changes (event_id, version, type, actor, at, seat_ids, status)
    VALUES (p_event_id, e.version, p_type, p_actor, p_at, coalesce(p_seat_ids, '{}'), p_to);
    RETURN e;
END
$$;
DROP FUNCTION apply_seat_change_counts(bigint, text, text, text, timestamptz, integer[], integer, integer, text, text, text);

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
            -- OFFSET 0 keeps each subquery from being merged into the next, which would compute the bits
            -- once for every use.
            UPDATE seat_rows s SET (free, mask, open) = (SELECT f, m, m <> 0 FROM (SELECT f, row_mask(f) AS m
                    FROM (SELECT with_seats(s.free, r.seats, array_fill(v_bit, ARRAY[cardinality(r.seats)])) AS f
                          OFFSET 0) AS x OFFSET 0) AS y)
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
    v_first integer;
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
        v_first := v_row.first_seat_id - 1 + best_run(v_row.free, p_quantity);
        FOR i IN 0..p_quantity - 1 LOOP -- expressions, not queries
            v_ids := v_ids || (v_first + i);
        END LOOP;
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

-- Schema version 13: cheaper ranked best available. Runs with search_path set to the store's schema.
-- * row_mask and best_run walk the row's runs in PL/pgSQL expressions (ltrim over the bits as text) instead
--   of a query each (string_to_table, a window, a sort): no executor to start per call.
-- * seat_rows.fits keeps the mask's bits of quantities 1..4, and a partial index per quantity lists the rows
--   that give it without stranding a seat, so that a pick of 1..4 seats goes straight to the first such
--   row instead of visiting, one by one, the open rows before it that cannot (rows left with end pairs
--   pile up in front when buyers take single seats). fits changes only when a row loses or gains one of
--   these quantities, so most seat changes still update the seat row in place (HOT).

-- BestAvailable.rowMask of a row's available-seat bits: the OR over its maximal runs of length L of
-- BestAvailable.cleanFits(L) (bit q set iff the run gives q without stranding a seat: q = L or q <= L - 2).
-- O(cols) per run.
CREATE OR REPLACE FUNCTION row_mask(p_free varbit) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_rest text := p_free::text;
    v_length integer;
    v_mask bigint := 0;
BEGIN
    LOOP
        v_rest := ltrim(v_rest, '0');
        EXIT WHEN v_rest = '';
        v_length := length(v_rest);
        v_rest := ltrim(v_rest, '1');
        v_length := v_length - length(v_rest);
        v_mask := v_mask | CASE WHEN v_length < 3 THEN 0::bigint
                                WHEN v_length >= 64 THEN 9223372036854775806
                                ELSE (1::bigint << (v_length - 1)) - 2 END
                         | CASE WHEN v_length <= 62 THEN 1::bigint << v_length ELSE 0::bigint END;
    END LOOP;
    RETURN v_mask;
END
$$;

-- BestAvailable.bestRun: the seat number (from 1) of the first seat of the best run of p_quantity
-- adjacent available seats in the row, or null. The same candidates per maximal run as bestRun (within
-- two of its first start, its last start and the start nearest the row's middle), ranked by seats
-- stranded, then distance of the run's middle to the row's, then seat: BestAvailable.rank, with seats
-- numbered from 0. O(cols) per run.
CREATE OR REPLACE FUNCTION best_run(p_free varbit, p_quantity integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_cols integer := length(p_free);
    v_rest text := p_free::text;
    v_first integer; -- the run's first start, from 0
    v_last integer;  -- its last start
    v_centre integer;
    v_best bigint := 9223372036854775807; -- (stranded << 42) | (distance << 21) | start: the lowest ranks best
BEGIN
    LOOP
        v_rest := ltrim(v_rest, '0');
        EXIT WHEN v_rest = '';
        v_first := v_cols - length(v_rest);
        v_rest := ltrim(v_rest, '1');
        v_last := v_cols - length(v_rest) - p_quantity;
        CONTINUE WHEN v_last < v_first;
        v_centre := greatest(v_first, least(v_last, (v_cols - p_quantity) / 2));
        FOR s IN v_first..least(v_last, v_first + 2) LOOP
            v_best := least(v_best, (((s - v_first = 1)::integer + (v_last - s = 1)::integer)::bigint << 42)
                                    | (abs(2 * s + p_quantity - v_cols)::bigint << 21) | s);
        END LOOP;
        FOR s IN greatest(v_first, v_last - 2)..v_last LOOP
            v_best := least(v_best, (((s - v_first = 1)::integer + (v_last - s = 1)::integer)::bigint << 42)
                                    | (abs(2 * s + p_quantity - v_cols)::bigint << 21) | s);
        END LOOP;
        FOR s IN greatest(v_first, v_centre - 2)..least(v_last, v_centre + 2) LOOP
            v_best := least(v_best, (((s - v_first = 1)::integer + (v_last - s = 1)::integer)::bigint << 42)
                                    | (abs(2 * s + p_quantity - v_cols)::bigint << 21) | s);
        END LOOP;
    END LOOP;
    RETURN CASE WHEN v_best < 9223372036854775807 THEN (v_best & 2097151)::integer + 1 END;
END
$$;

-- Bit q - 1 of fits: the row gives q = 1..4 adjacent seats without stranding one (bit q of mask). Each
-- quantity's index holds the rows that give it, front first; a seat row is updated in place (HOT) unless
-- its open flag or these bits change.
ALTER TABLE seat_rows ADD COLUMN fits smallint GENERATED ALWAYS AS (((mask >> 1) & 15)::smallint) STORED;
CREATE INDEX seat_rows_fits_1_idx ON seat_rows (event_id, section, subsection, row_no) WHERE fits & 1 <> 0;
CREATE INDEX seat_rows_fits_2_idx ON seat_rows (event_id, section, subsection, row_no) WHERE fits & 2 <> 0;
CREATE INDEX seat_rows_fits_3_idx ON seat_rows (event_id, section, subsection, row_no) WHERE fits & 4 <> 0;
CREATE INDEX seat_rows_fits_4_idx ON seat_rows (event_id, section, subsection, row_no) WHERE fits & 8 <> 0;

-- As in V12, but the front row that gives 1..4 seats without stranding one is read from that quantity's
-- index (one entry), not found by visiting the open rows before it.
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

-- Schema version 11: best available chosen in the database, in the statement that holds the seats (one
-- round trip, as before the ranking), from one row per seat row instead of the subsection's seats.
-- seat_rows keeps each row's available seats as bits (bit k: seat k + 1 is available) and their mask as
-- BestAvailable.rowMask computes it (0 iff the row is full). A trigger on tickets keeps both in the
-- transaction that moves the seats, before the event's lock is taken. The ranking here must stay identical to io.ticketing.core.spi.BestAvailable (the contract
-- tests and JdbcBestAvailableIT compare them). Runs with search_path set to the store's schema.

CREATE TABLE seat_rows (
    event_id      bigint  NOT NULL,
    section       text    NOT NULL,
    subsection    integer NOT NULL,
    row_no        integer NOT NULL,
    first_seat_id integer NOT NULL,
    free          varbit  NOT NULL,
    mask          bigint  NOT NULL,
    open          boolean NOT NULL, -- mask <> 0: the row has an available seat
    PRIMARY KEY (event_id, section, subsection, row_no)
) WITH (fillfactor = 50);
-- The rows with an available seat, front first: full rows cost nothing to skip. Indexed by open, which
-- changes only when a row fills or frees its first seat, so that most seat changes update the seat row
-- in place (HOT: no index entry), with room on its page (fillfactor).
CREATE INDEX seat_rows_open_idx ON seat_rows (event_id, section, subsection, row_no) WHERE open;

-- BestAvailable.rowMask of a row's available-seat bits: the OR over its maximal runs of length L of
-- BestAvailable.cleanFits(L) (bit q set iff the run gives q without stranding a seat: q = L or q <= L - 2).
-- O(cols).
CREATE FUNCTION row_mask(p_free varbit) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT coalesce(bit_or(CASE WHEN length(r) < 3 THEN 0::bigint
                                        WHEN length(r) >= 64 THEN 9223372036854775806
                                        ELSE (1::bigint << (length(r) - 1)) - 2 END
                                   | CASE WHEN length(r) <= 62 THEN 1::bigint << length(r) ELSE 0::bigint END), 0)
            FROM string_to_table(p_free::text, '0') AS r WHERE r <> '');
END
$$;

-- BestAvailable.bestRun: the seat number (from 1) of the first seat of the best run of p_quantity
-- adjacent available seats in the row, or null. The same candidates per maximal run as bestRun (within
-- two of its first start, its last start and the start nearest the row's middle), ranked by seats
-- stranded, then distance of the run's middle to the row's, then seat. O(cols).
CREATE FUNCTION best_run(p_free varbit, p_quantity integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (WITH runs AS (
            SELECT first, last, greatest(first, least(last, (length(p_free) - p_quantity) / 2 + 1)) AS centre
            FROM (SELECT first::integer, (first + len - p_quantity)::integer AS last
                  FROM (SELECT length(p) AS len, sum(length(p) + 1) OVER (ORDER BY n) - length(p) AS first
                        FROM string_to_table(p_free::text, '0') WITH ORDINALITY AS x(p, n)) AS pieces
                  WHERE len >= p_quantity) AS r)
        SELECT s FROM runs, unnest(ARRAY[first, first + 1, first + 2, last - 2, last - 1, last,
                                         centre - 2, centre - 1, centre, centre + 1, centre + 2]) AS s
        WHERE s BETWEEN first AND last
        ORDER BY (s - first = 1)::integer + (last - s = 1)::integer, abs(2 * s - 2 + p_quantity - length(p_free)), s
        LIMIT 1);
END
$$;

-- BestAvailable.nearMiddle: up to p_limit available seat numbers (from 1) of the row, nearest its middle
-- first (of two equally near, the lower). O(cols).
CREATE FUNCTION near_middle(p_free varbit, p_limit integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN ARRAY(SELECT seat FROM generate_series(1, length(p_free)) AS seat WHERE get_bit(p_free, seat - 1) = 1
                 ORDER BY abs(2 * seat - 1 - length(p_free)), seat LIMIT p_limit);
END
$$;

-- The row's bits with seats p_seats[i] set to p_bits[i] (1: available).
CREATE FUNCTION with_seats(p_free varbit, p_seats integer[], p_bits integer[]) RETURNS varbit
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    FOR i IN 1..cardinality(p_seats) LOOP
        p_free := set_bit(p_free, p_seats[i] - 1, p_bits[i]);
    END LOOP;
    RETURN p_free;
END
$$;

-- Chooses p_quantity best-available seats of the subsection as BestAvailable does, locks them in seat_id
-- order and marks them reserved; returns each held seat with its position in the reservation. The choice:
-- the front row with a run that strands no seat, else the front row with a run at all (best_run in it),
-- else separate seats, front rows first, nearest the middle (near_middle). It reads the open rows up to the
-- chosen one (index entries of seat_rows_open_idx; full rows cost nothing), plus O(cols) for the chosen
-- row. It takes the subsection's advisory lock (p_lock) first, held to the end of the transaction, and
-- reads in the next statements, which see what the lock's previous holder committed: choices in one
-- subsection are made one at a time. The seats are marked reserved here, by a statement of this function,
-- not by the caller's statement: the caller's snapshot predates the lock, so a seat freed by a transaction
-- that committed meanwhile (the version that this function locks) is invisible to it and would not be held.
-- A chosen seat that an explicit hold took meanwhile is left out (the caller sees too few and chooses
-- again). If the subsection has fewer available seats than asked and the event is on sale, raises SQLSTATE
-- TK011 (seats unavailable); if the event is not on sale, holds what there is, for the seat change to
-- refuse the event's state as for any hold.
CREATE FUNCTION hold_best_seats(p_event_id bigint, p_section text, p_subsection integer, p_quantity integer,
                                p_lock text)
RETURNS TABLE (held_position bigint, held_seat_id integer, held_section text, held_subsection smallint,
               held_row_no smallint, held_seat_no smallint, held_price bigint)
LANGUAGE plpgsql ROWS 4 SET search_path FROM CURRENT AS $$
DECLARE
    v_row seat_rows%ROWTYPE;
    v_ids integer[] := '{}';
    v_seat integer;
    v_position bigint;
    v_tid tid;
    v_tids tid[] := '{}';
    v_positions bigint[] := '{}';
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
    FOR v_seat, v_position IN SELECT s, n FROM unnest(v_ids) WITH ORDINALITY AS u(s, n) ORDER BY s LOOP
        -- Every key column of both indexes that could answer: a point lookup whichever the planner takes.
        SELECT t.ctid INTO v_tid FROM tickets t
        WHERE t.event_id = p_event_id AND t.section = p_section AND t.subsection = p_subsection
          AND t.seat_id = v_seat AND t.status = 'available'
        FOR UPDATE;
        IF FOUND THEN
            v_tids := v_tids || v_tid;
            v_positions := v_positions || v_position;
        END IF;
    END LOOP;
    -- A new snapshot, taken after the locks: it sees the locked versions of the seats.
    RETURN QUERY WITH held AS (
        UPDATE tickets t SET status = 'reserved' FROM unnest(v_tids, v_positions) AS c(tid, position)
        WHERE t.ctid = c.tid AND t.event_id = p_event_id AND t.status = 'available'
        RETURNING c.position, t.seat_id, t.section, t.subsection, t.row_no, t.seat_no, t.price)
    SELECT * FROM held;
END
$$;

-- Keeps seat_rows as seats become available or taken: one update per seat row touched by the statement,
-- in key order, so that concurrent statements lock seat rows in the same order and never deadlock.
CREATE FUNCTION track_seat_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT n.event_id, n.section, n.subsection, n.row_no,
                    array_agg(n.seat_no::integer) AS seats,
                    array_agg((n.status = 'available')::integer) AS bits
             FROM new_tickets n JOIN old_tickets o ON o.event_id = n.event_id AND o.seat_id = n.seat_id
             WHERE (o.status = 'available') <> (n.status = 'available')
             GROUP BY n.event_id, n.section, n.subsection, n.row_no
             ORDER BY n.event_id, n.section, n.subsection, n.row_no LOOP
        UPDATE seat_rows s SET (free, mask, open) = (SELECT f, m, m <> 0 FROM (SELECT f, row_mask(f) AS m
                FROM (SELECT with_seats(s.free, r.seats, r.bits) AS f) AS x) AS y)
        WHERE s.event_id = r.event_id AND s.section = r.section AND s.subsection = r.subsection AND s.row_no = r.row_no;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER tickets_track_seat_rows AFTER UPDATE ON tickets
REFERENCING OLD TABLE AS old_tickets NEW TABLE AS new_tickets
FOR EACH STATEMENT EXECUTE FUNCTION track_seat_rows();

INSERT INTO seat_rows (event_id, section, subsection, row_no, first_seat_id, free, mask, open)
SELECT event_id, section, subsection, row_no, first_seat_id, free, row_mask(free), free <> repeat('0', length(free))::varbit
FROM (SELECT event_id, section, subsection, row_no, min(seat_id) - min(seat_no) + 1 AS first_seat_id,
             string_agg((status = 'available')::integer::text, '' ORDER BY seat_no)::varbit AS free
      FROM tickets GROUP BY event_id, section, subsection, row_no) AS t;

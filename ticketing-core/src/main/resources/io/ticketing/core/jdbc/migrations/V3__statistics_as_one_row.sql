-- Schema version 3: a seat change returns its statistics as one row — the event's columns and its
-- subsections' counts as arrays in block order — instead of one row per subsection with the event's
-- columns repeated (a subsection's section, number, price and total never change: the store keeps
-- them); and confirm_reservation confirms a hold in one statement, so that confirming takes one round
-- trip; and reservation_seats loses its foreign key. Runs with search_path set to the store's schema.

-- A reservation's seats are inserted in the statement that inserts it and deleted by the store with it;
-- the key's check cost every held seat a query and a lock of the reservation row.
ALTER TABLE reservation_seats DROP CONSTRAINT reservation_seats_reservation_id_fkey;

DROP FUNCTION record_seat_change(bigint, text, text, text, timestamptz, text, integer, text, text);

-- Records that the seats of reservation p_reservation_id moved from status p_from to p_to: under the
-- event's row lock, bumps its version, totals, sold_out and last change, then its subsection counters,
-- and returns the new statistics as one row.
-- Refuses, changing nothing, with SQLSTATE TK001 when the event is missing or fails p_guard — 'any',
-- 'on_sale' (active and available) or 'refundable' (not ended or completed) — with the event's status
-- as message ('missing' if there is none) and 'inactive' as detail if it is; then with TK002 when
-- fewer than p_seats of the reservation's seats are in status p_to (a seat was taken).
-- A function because each statement in it sees what was committed before it started: the counters are
-- read after the lock is taken, so the snapshot is exact. The store sends it in one round trip with
-- the statement that moved the seats and with the COMMIT, so the lock is never held while waiting for
-- the client.
CREATE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_reservation_id text, p_seats integer, p_from text, p_to text)
RETURNS TABLE (version bigint, status text, total_tickets integer, remaining integer, allocated integer,
               confirmed integer, last_event_type text, last_event_actor text, last_event_seats integer,
               last_event_at timestamptz, sub_remaining integer[], sub_allocated integer[],
               sub_confirmed integer[])
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    e events%ROWTYPE;
    moved integer;
    d_remaining integer := (p_to = 'available')::integer - (p_from = 'available')::integer;
    d_allocated integer := (p_to = 'reserved')::integer - (p_from = 'reserved')::integer;
    d_confirmed integer := (p_to = 'sold')::integer - (p_from = 'sold')::integer;
BEGIN
    SELECT count(*) INTO moved FROM reservation_seats rs
        JOIN tickets t ON t.event_id = p_event_id AND t.section = rs.section AND t.subsection = rs.subsection
            AND t.seat_id = rs.seat_id
        WHERE rs.reservation_id = p_reservation_id AND t.status = p_to;
    UPDATE events SET version = version + 1,
        remaining = remaining + d_remaining * moved, allocated = allocated + d_allocated * moved,
        confirmed = confirmed + d_confirmed * moved,
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
        RAISE EXCEPTION USING ERRCODE = 'TK002',
            MESSAGE = moved || ' of ' || p_seats || ' seats of reservation ' || p_reservation_id || ' are ' || p_to;
    END IF;
    UPDATE subsection_counters c SET remaining = c.remaining + d_remaining * m.n,
        allocated = c.allocated + d_allocated * m.n, confirmed = c.confirmed + d_confirmed * m.n
    FROM (SELECT rs.section, rs.subsection, count(*)::integer AS n FROM reservation_seats rs
          WHERE rs.reservation_id = p_reservation_id GROUP BY rs.section, rs.subsection) m
    WHERE c.event_id = p_event_id AND c.section = m.section AND c.subsection = m.subsection;
    RETURN QUERY SELECT e.version, e.status, e.total_tickets, e.remaining, e.allocated, e.confirmed,
        e.last_event_type, e.last_event_actor, e.last_event_seats, e.last_event_at,
        array_agg(c.remaining ORDER BY c.block_no), array_agg(c.allocated ORDER BY c.block_no),
        array_agg(c.confirmed ORDER BY c.block_no)
    FROM subsection_counters c WHERE c.event_id = p_event_id;
END
$$;

-- Confirms hold p_id at p_at: the reservation becomes confirmed with p_payment_reference, its seats move
-- from reserved to sold, recorded by record_seat_change as ticket.confirmed by buyer:<buyer id>, whose
-- row it returns (and whose errors it raises). Returns no row and changes nothing when the reservation
-- does not exist, is not held, or its hold has lapsed (expires_at not after p_at): the caller, which has
-- read and locked the reservation first in the same transaction, reports why.
CREATE FUNCTION confirm_reservation(p_id text, p_payment_reference text, p_at timestamptz)
RETURNS TABLE (version bigint, status text, total_tickets integer, remaining integer, allocated integer,
               confirmed integer, last_event_type text, last_event_actor text, last_event_seats integer,
               last_event_at timestamptz, sub_remaining integer[], sub_allocated integer[],
               sub_confirmed integer[])
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    r reservations%ROWTYPE;
BEGIN
    UPDATE reservations SET status = 'confirmed', payment_reference = p_payment_reference, updated_at = p_at
    WHERE id = p_id AND status = 'held' AND expires_at > p_at
    RETURNING * INTO r;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE tickets t SET status = 'sold' FROM reservation_seats rs
    WHERE rs.reservation_id = p_id AND t.event_id = r.event_id AND t.seat_id = rs.seat_id AND t.status = 'reserved';
    RETURN QUERY SELECT * FROM record_seat_change(r.event_id, 'any', 'ticket.confirmed', 'buyer:' || r.buyer_id,
        p_at, p_id, (SELECT count(*)::integer FROM reservation_seats WHERE reservation_id = p_id), 'reserved', 'sold');
END
$$;

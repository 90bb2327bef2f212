-- Schema version 4: the seat-change functions find rows by primary key only, so that no plan depends on
-- the tables' statistics (a store's tables start empty and are bulk-loaded). In version 3, depending on
-- when they were last analysed, the generic plans
-- - of record_seat_change's count joined the reservation's seats to tickets on the subsection's entries
--   of the unique index on (event_id, section, subsection, row_no, seat_no), filtering on seat_id:
--   hundreds of index entries and text comparisons per change once seats were taken;
-- - of confirm_reservation's update of the reservation used the partial index of held reservations with
--   expires_at > p_at as its range: every hold of the last hold period, compared with the id one by one.
-- Same signatures, same behaviour. Runs with search_path set to the store's schema.

CREATE OR REPLACE FUNCTION record_seat_change(
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
        JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
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
CREATE OR REPLACE FUNCTION confirm_reservation(p_id text, p_payment_reference text, p_at timestamptz)
RETURNS TABLE (version bigint, status text, total_tickets integer, remaining integer, allocated integer,
               confirmed integer, last_event_type text, last_event_actor text, last_event_seats integer,
               last_event_at timestamptz, sub_remaining integer[], sub_allocated integer[],
               sub_confirmed integer[])
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    r reservations%ROWTYPE;
BEGIN
    SELECT * INTO r FROM reservations WHERE id = p_id FOR UPDATE;
    IF NOT FOUND OR r.status <> 'held' OR r.expires_at <= p_at THEN
        RETURN;
    END IF;
    UPDATE reservations SET status = 'confirmed', payment_reference = p_payment_reference, updated_at = p_at
    WHERE id = p_id;
    UPDATE tickets t SET status = 'sold' FROM reservation_seats rs
    WHERE rs.reservation_id = p_id AND t.event_id = r.event_id AND t.seat_id = rs.seat_id AND t.status = 'reserved';
    RETURN QUERY SELECT * FROM record_seat_change(r.event_id, 'any', 'ticket.confirmed', 'buyer:' || r.buyer_id,
        p_at, p_id, (SELECT count(*)::integer FROM reservation_seats WHERE reservation_id = p_id), 'reserved', 'sold');
END
$$;

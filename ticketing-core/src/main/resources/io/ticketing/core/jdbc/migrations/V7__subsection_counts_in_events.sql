-- Schema version 7: an event's per-subsection counts move into its events row, as arrays in block order
-- (element block_no + 1), updated by the same statement as its version and totals; subsection_counters
-- keeps what never changes (section, subsection, price, total). A seat change used to update a second
-- hot row, with a CHECK constraint that every statement re-read from the catalogue, and read the
-- counters back through three sorted aggregates. The seat-change functions also run fewer statements:
-- confirm_reservation moves the reservation and its seats in one statement, relying on the lock its
-- caller took, and neither function calls the other. Runs with search_path set to the store's schema.

ALTER TABLE events ADD COLUMN sub_remaining integer[], ADD COLUMN sub_allocated integer[],
    ADD COLUMN sub_confirmed integer[];
UPDATE events e SET sub_remaining = c.remaining, sub_allocated = c.allocated, sub_confirmed = c.confirmed
FROM (SELECT event_id, array_agg(remaining ORDER BY block_no) AS remaining,
             array_agg(allocated ORDER BY block_no) AS allocated, array_agg(confirmed ORDER BY block_no) AS confirmed
      FROM subsection_counters GROUP BY event_id) c
WHERE c.event_id = e.id;
UPDATE events SET sub_remaining = '{}', sub_allocated = '{}', sub_confirmed = '{}' WHERE sub_remaining IS NULL;
ALTER TABLE events ALTER COLUMN sub_remaining SET NOT NULL, ALTER COLUMN sub_allocated SET NOT NULL,
    ALTER COLUMN sub_confirmed SET NOT NULL;
ALTER TABLE subsection_counters DROP CONSTRAINT subsection_counters_check, DROP COLUMN remaining,
    DROP COLUMN allocated, DROP COLUMN confirmed;

DROP FUNCTION confirm_reservation(text, text, timestamptz);
DROP FUNCTION record_seat_change(bigint, text, text, text, timestamptz, text, integer, text, text);

-- Records that seats p_seat_ids of event p_event_id (p_block_size seats per subsection block) moved from
-- status p_from to p_to, p_seats being how many had to: under the event's row lock, bumps its version,
-- totals, subsection counts, sold_out and last change, and returns the new row.
-- Refuses, changing nothing, with SQLSTATE TK001 when the event is missing or fails p_guard — 'any',
-- 'on_sale' (active and available) or 'refundable' (not ended or completed) — with the event's status
-- as message ('missing' if there is none) and 'inactive' as detail if it is; then with TK002 when
-- fewer than p_seats seats moved, naming p_what.
-- Internal to the two functions below: it runs with their settings.
CREATE FUNCTION apply_seat_change(
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
    RETURN e;
END
$$;

-- Records that the seats of reservation p_reservation_id moved from status p_from to p_to (those of its
-- seats now in p_to moved): see apply_seat_change, whose errors it raises, for the rest. Returns the
-- event's new row. A function because each statement in it sees what was committed before it started:
-- the counts are read after the lock is taken, so the snapshot is exact. The store sends it in one round
-- trip with the statement that moved the seats and with the COMMIT, so the lock is never held while
-- waiting for the client.
CREATE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_reservation_id text, p_seats integer, p_from text, p_to text)
RETURNS SETOF events
LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_seat_ids integer[];
    v_block_size integer;
BEGIN
    SELECT array_agg(t.seat_id),
           (SELECT c.total FROM subsection_counters c WHERE c.event_id = p_event_id AND c.block_no = 0)
    INTO v_seat_ids, v_block_size
    FROM reservation_seats rs JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
    WHERE rs.reservation_id = p_reservation_id AND t.status = p_to;
    RETURN NEXT apply_seat_change(p_event_id, p_guard, p_type, p_actor, p_at, v_seat_ids, v_block_size, p_seats,
        p_from, p_to, 'reservation ' || p_reservation_id);
END
$$;

-- Confirms hold p_id at p_at: the reservation becomes confirmed with p_payment_reference, its seats move
-- from reserved to sold, recorded by apply_seat_change as ticket.confirmed by buyer:<buyer id>; returns
-- the event's new row (and raises apply_seat_change's errors). Returns no row and changes nothing when
-- the reservation does not exist, is not held, or its hold has lapsed (expires_at not after p_at): the
-- caller, which has read and locked the reservation first in the same transaction, reports why.
CREATE FUNCTION confirm_reservation(p_id text, p_payment_reference text, p_at timestamptz)
RETURNS SETOF events
LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_event_id bigint;
    v_buyer_id bigint;
    v_seat_ids integer[];
    v_seats integer;
    v_block_size integer;
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
    SELECT r.event_id, r.buyer_id, (SELECT array_agg(m.seat_id) FROM m),
           (SELECT count(*)::integer FROM reservation_seats rs WHERE rs.reservation_id = p_id),
           (SELECT c.total FROM subsection_counters c WHERE c.event_id = r.event_id AND c.block_no = 0)
    INTO v_event_id, v_buyer_id, v_seat_ids, v_seats, v_block_size
    FROM r;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN NEXT apply_seat_change(v_event_id, 'any', 'ticket.confirmed', 'buyer:' || v_buyer_id, p_at, v_seat_ids,
        v_block_size, v_seats, 'reserved', 'sold', 'reservation ' || p_id);
END
$$;

-- Schema version 8: sales rules. An event's cap of held + confirmed seats per buyer (null: none) lives in
-- its row, so that a rules change and the seat changes it governs serialise on the event's row lock.
-- buyer_seats keeps each buyer's held + confirmed seats of each event, changed by record_seat_change in
-- the same transaction as the seats (a hold adds, a cancel, refund or expiry subtracts, a confirm leaves
-- it), so the cap is checked against a count, never by counting reservations. Runs with search_path set
-- to the store's schema.

ALTER TABLE events ADD COLUMN max_seats_per_buyer integer;

CREATE TABLE buyer_seats (
    event_id bigint  NOT NULL,
    buyer_id bigint  NOT NULL,
    seats    integer NOT NULL,
    PRIMARY KEY (event_id, buyer_id)
);
INSERT INTO buyer_seats (event_id, buyer_id, seats)
SELECT r.event_id, r.buyer_id, count(*)
FROM reservations r JOIN reservation_seats s ON s.reservation_id = r.id
WHERE r.status IN ('held', 'confirmed')
GROUP BY r.event_id, r.buyer_id;

DROP FUNCTION record_seat_change(bigint, text, text, text, timestamptz, text, integer, text, text);

-- As in V7, and: adds the change of buyer p_buyer_id's held + confirmed seats (p_seats, with the sign of
-- the move) to buyer_seats, and refuses a change that brings them above the event's max_seats_per_buyer
-- with SQLSTATE TK003 (message: the buyer's seats before, detail: the cap), after apply_seat_change's
-- own refusals. The buyer's row is locked before the event's, so the event's lock (which every change of
-- the event waits for) is not held while waiting for it; every seat change takes them in this order.
CREATE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_reservation_id text, p_seats integer, p_from text, p_to text, p_buyer_id bigint)
RETURNS SETOF events
LANGUAGE plpgsql SET search_path FROM CURRENT SET enable_bitmapscan TO off SET enable_seqscan TO off AS $$
DECLARE
    v_seat_ids integer[];
    v_block_size integer;
    v_delta integer := ((p_to <> 'available')::integer - (p_from <> 'available')::integer) * p_seats;
    v_buyer_seats integer;
    e events%ROWTYPE;
BEGIN
    IF v_delta <> 0 THEN
        INSERT INTO buyer_seats AS b (event_id, buyer_id, seats) VALUES (p_event_id, p_buyer_id, v_delta)
        ON CONFLICT (event_id, buyer_id) DO UPDATE SET seats = b.seats + v_delta
        RETURNING b.seats INTO v_buyer_seats;
    END IF;
    SELECT array_agg(t.seat_id),
           (SELECT c.total FROM subsection_counters c WHERE c.event_id = p_event_id AND c.block_no = 0)
    INTO v_seat_ids, v_block_size
    FROM reservation_seats rs JOIN tickets t ON t.event_id = p_event_id AND t.seat_id = rs.seat_id
    WHERE rs.reservation_id = p_reservation_id AND t.status = p_to;
    e := apply_seat_change(p_event_id, p_guard, p_type, p_actor, p_at, v_seat_ids, v_block_size, p_seats,
        p_from, p_to, 'reservation ' || p_reservation_id);
    IF v_delta > 0 AND v_buyer_seats > e.max_seats_per_buyer THEN
        RAISE EXCEPTION USING ERRCODE = 'TK003', MESSAGE = v_buyer_seats - v_delta,
            DETAIL = e.max_seats_per_buyer;
    END IF;
    RETURN NEXT e;
END
$$;

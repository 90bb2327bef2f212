-- Schema version 1 of the PostgreSQL TicketStore. Runs with search_path set to the store's schema.
--
-- Locking rule: every change of seats or status updates its events row last, so that row is the
-- per-event mutex, and subsection_counters rows are written only while it is held (see
-- record_seat_change at the end).
-- There are no foreign keys to events on purpose: each would take a share lock on the (hot) events
-- row for every reservation, and bulk-loaded tickets would pay a trigger per seat. The store deletes
-- an event's rows itself, in one transaction.

CREATE TABLE events (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text        NOT NULL,
    description      text,
    venue_name       text,
    seller_id        bigint      NOT NULL,
    status           text        NOT NULL
        CHECK (status IN ('draft', 'available', 'sold_out', 'ended', 'completed')),
    active           boolean     NOT NULL,
    seating_config   jsonb       NOT NULL,
    total_tickets    integer     NOT NULL,
    remaining        integer     NOT NULL,
    allocated        integer     NOT NULL,
    confirmed        integer     NOT NULL,
    version          bigint      NOT NULL,
    last_event_type  text        NOT NULL,
    last_event_actor text        NOT NULL,
    last_event_seats integer     NOT NULL,
    last_event_at    timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CHECK (remaining >= 0 AND allocated >= 0 AND confirmed >= 0
        AND remaining + allocated + confirmed = total_tickets)
);
CREATE INDEX events_seller_idx ON events (seller_id, id);
CREATE INDEX events_on_sale_idx ON events (id) WHERE active AND status = 'available';

-- Seat counts of one subsection; block_no is the subsection's position in the seating config.
CREATE TABLE subsection_counters (
    event_id   bigint  NOT NULL,
    block_no   integer NOT NULL,
    section    text    NOT NULL,
    subsection integer NOT NULL,
    price      bigint  NOT NULL,
    total      integer NOT NULL,
    remaining  integer NOT NULL,
    allocated  integer NOT NULL,
    confirmed  integer NOT NULL,
    PRIMARY KEY (event_id, block_no),
    UNIQUE (event_id, section, subsection),
    CHECK (remaining >= 0 AND allocated >= 0 AND confirmed >= 0 AND remaining + allocated + confirmed = total)
);

-- One row per seat. seat_id numbers an event's seats from 1 in subsection, row, seat order.
CREATE TABLE tickets (
    event_id   bigint   NOT NULL,
    seat_id    integer  NOT NULL,
    section    text     NOT NULL,
    subsection smallint NOT NULL,
    row_no     smallint NOT NULL,
    seat_no    smallint NOT NULL,
    price      bigint   NOT NULL,
    status     text     NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'sold')),
    PRIMARY KEY (event_id, seat_id),
    UNIQUE (event_id, section, subsection, row_no, seat_no)
);
-- Best available: the available seats of one subsection in seat order, without visiting taken ones.
CREATE INDEX tickets_available_idx ON tickets (event_id, section, subsection, seat_id) WHERE status = 'available';

CREATE TABLE reservations (
    id                text        PRIMARY KEY,
    event_id          bigint      NOT NULL,
    buyer_id          bigint      NOT NULL,
    status            text        NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
    total_price       bigint      NOT NULL,
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    payment_reference text
);
CREATE INDEX reservations_event_idx ON reservations (event_id);
CREATE INDEX reservations_held_expiry_idx ON reservations (expires_at, id) WHERE status = 'held';

-- The seats of a reservation in the order they were requested; they stay after it ends.
CREATE TABLE reservation_seats (
    reservation_id text     NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    position       smallint NOT NULL,
    seat_id        integer  NOT NULL,
    section        text     NOT NULL,
    subsection     smallint NOT NULL,
    row_no         smallint NOT NULL,
    seat_no        smallint NOT NULL,
    price          bigint   NOT NULL,
    PRIMARY KEY (reservation_id, position)
);

-- A buyer's idempotency key. Claimed first in the reserving transaction, so a concurrent request with
-- the same key waits on this unique key and then finds the committed reservation.
CREATE TABLE idempotency_keys (
    buyer_id       bigint      NOT NULL,
    key            text        NOT NULL,
    reservation_id text        NOT NULL REFERENCES reservations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (buyer_id, key)
);
CREATE INDEX idempotency_keys_reservation_idx ON idempotency_keys (reservation_id);

-- Records that seats of an event moved: under the event's row lock, bumps its version, totals, sold_out
-- and last change, then its subsection counters, and returns the new statistics, one row per subsection
-- (the event's columns repeated). When the event is missing or fails p_guard — 'any', 'on_sale' (active
-- and available) or 'refundable' (not ended or completed) — it changes nothing and raises SQLSTATE TK001
-- with the event's status as message ('missing' if there is none) and 'inactive' as detail if it is.
-- A function because each statement in it sees what was committed before it started: the counters are
-- read after the lock is taken, so the snapshot is exact, and the store sends it with its COMMIT in one
-- round trip, so the lock is never held while waiting for the client.
CREATE FUNCTION record_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_seats integer, p_at timestamptz,
    p_remaining integer, p_allocated integer, p_confirmed integer,
    p_sections text[], p_subsections integer[],
    p_sub_remaining integer[], p_sub_allocated integer[], p_sub_confirmed integer[])
RETURNS TABLE (version bigint, status text, total_tickets integer, remaining integer, allocated integer,
               confirmed integer, last_event_type text, last_event_actor text, last_event_seats integer,
               last_event_at timestamptz, section text, subsection integer, price bigint, sub_total integer,
               sub_remaining integer, sub_allocated integer, sub_confirmed integer)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    e events%ROWTYPE;
BEGIN
    UPDATE events SET version = version + 1,
        remaining = remaining + p_remaining, allocated = allocated + p_allocated,
        confirmed = confirmed + p_confirmed,
        status = CASE WHEN status = 'available' AND remaining + p_remaining = 0 THEN 'sold_out'
                      WHEN status = 'sold_out' AND remaining + p_remaining > 0 THEN 'available'
                      ELSE status END,
        last_event_type = p_type, last_event_actor = p_actor, last_event_seats = p_seats,
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
    UPDATE subsection_counters c SET remaining = c.remaining + d.dr, allocated = c.allocated + d.da,
        confirmed = c.confirmed + d.dc
    FROM unnest(p_sections, p_subsections, p_sub_remaining, p_sub_allocated, p_sub_confirmed)
        AS d(section, subsection, dr, da, dc)
    WHERE c.event_id = p_event_id AND c.section = d.section AND c.subsection = d.subsection;
    RETURN QUERY SELECT e.version, e.status, e.total_tickets, e.remaining, e.allocated, e.confirmed,
        e.last_event_type, e.last_event_actor, e.last_event_seats, e.last_event_at, c.section, c.subsection,
        c.price, c.total, c.remaining, c.allocated, c.confirmed
    FROM subsection_counters c WHERE c.event_id = p_event_id ORDER BY c.block_no;
END
$$;

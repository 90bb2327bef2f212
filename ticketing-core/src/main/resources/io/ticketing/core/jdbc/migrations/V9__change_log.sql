-- Schema version 9: every change of an event is appended to its change log, event_changes, in the same
-- transaction as the change: seat changes by apply_seat_change (through which every one passes), status
-- changes and creations by the store's statements. A change keeps the ids of the seats it moved (seat_id
-- order: subsection block, row, seat) and their new status; the store turns them into coordinates when
-- read. store_epoch holds one row naming this schema's data, for stream ids. Old changes are pruned in
-- bounded batches by the store's maintenance (by version and by age, see JdbcTicketStore). Events that
-- existed before this version have no history before their current version.

CREATE TABLE event_changes (
    event_id bigint      NOT NULL,
    version  bigint      NOT NULL,
    type     text        NOT NULL,
    actor    text        NOT NULL,
    at       timestamptz NOT NULL,
    seat_ids integer[]   NOT NULL,
    status   text        CHECK (status IN ('available', 'reserved', 'sold')),
    PRIMARY KEY (event_id, version)
);
CREATE INDEX event_changes_at ON event_changes (at);

CREATE TABLE store_epoch (
    epoch text NOT NULL
);
INSERT INTO store_epoch (epoch) SELECT substr(md5(random()::text || clock_timestamp()::text), 1, 12);

ALTER FUNCTION apply_seat_change(bigint, text, text, text, timestamptz, integer[], integer, integer, text, text, text)
    RENAME TO apply_seat_change_counts;

-- As apply_seat_change of V7 (now apply_seat_change_counts), and appends the change to event_changes.
-- Internal to record_seat_change and confirm_reservation: it runs with their settings.
CREATE FUNCTION apply_seat_change(
    p_event_id bigint, p_guard text, p_type text, p_actor text, p_at timestamptz,
    p_seat_ids integer[], p_block_size integer, p_seats integer, p_from text, p_to text, p_what text)
RETURNS events
LANGUAGE plpgsql AS $$
DECLARE
    e events%ROWTYPE;
BEGIN
    e := apply_seat_change_counts(p_event_id, p_guard, p_type, p_actor, p_at, p_seat_ids, p_block_size, p_seats,
        p_from, p_to, p_what);
    INSERT INTO event_changes (event_id, version, type, actor, at, seat_ids, status)
    VALUES (p_event_id, e.version, p_type, p_actor, p_at, coalesce(p_seat_ids, '{}'), p_to);
    RETURN e;
END
$$;

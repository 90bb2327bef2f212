-- Schema version 5: tickets lose their unique index on (event_id, section, subsection, row_no, seat_no).
-- A seat's status is in the predicate of tickets_available_idx, so no update of a ticket is HOT: every
-- reserve, confirm, cancel and expiry inserted a new entry into each of the table's indexes, this one
-- (with its uniqueness check) included. Seats are now found by primary key: seat_id numbers an event's
-- seats from 1 in subsection block, row, seat order (rows x cols seats per block, as loaded), so the seat
-- at (section, subsection, row, seat) has seat_id block_no * total + (row - 1) * cols + seat, and lookups
-- still compare the seat's section, subsection, row and seat. Uniqueness of those follows from seat_id,
-- the primary key, being a function of them. Runs with search_path set to the store's schema.

ALTER TABLE tickets DROP CONSTRAINT tickets_event_id_section_subsection_row_no_seat_no_key;

-- Schema version 6: the seat-change functions plan with index scans only. Every statement in them reads
-- a few rows by key (a reservation's seats, an event's subsection counters, tickets by primary key), but
-- their generic plans, made while the tables were new or small, used bitmap heap scans for those: each
-- execution then built a bitmap, set up a heap scan and looked up the relation's size (6 % of the
-- backends' samples in the reservation benchmark). Without bitmap scans alone the planner picked
-- sequential scans of those small tables, which grow with the sales; so both are off inside the
-- functions, and with them no plan depends on the tables' statistics. Same behaviour otherwise.
-- Runs with search_path set to the store's schema.

ALTER FUNCTION record_seat_change(bigint, text, text, text, timestamptz, text, integer, text, text)
    SET enable_bitmapscan TO off SET enable_seqscan TO off;
ALTER FUNCTION confirm_reservation(text, text, timestamptz) SET enable_bitmapscan TO off SET enable_seqscan TO off;

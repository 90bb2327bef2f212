#!/usr/bin/env bash
# Database CPU per best-available reserve + confirm of one seat, in one backend (docs/benchmarks.md, "Sales rules",
# "Tenth run (PostgreSQL)"):
#   scripts/pg-cpu/harness.sh SCHEMA pre|rules SUBSECTION ITERATIONS [RUN]
# SCHEMA is made by scripts/pg-cpu/Setup.java with the jar of the code under test (event 1; cap 4 for `rules`).
# One psql backend runs a DO loop of the statements that code's store sends for PostgresReservationBenchmark's
# reservation (one seat of section A, subsection SUBSECTION, best available, then confirm), a COMMIT after each
# transaction (synchronous_commit off, as the store's; the store's second, synchronous barrier transaction is left
# out: it waits for the disk, and is the same in every code), buyers changed every 4 holds (cap 4). `pre` is the
# pre-rules store (10b6181: the SKIP LOCKED hold, then record_seat_change); `rules` is V15 and later
# (reserve_best_seats, then the event's row). Prints the backend's utime + stime (/proc/<pid>/stat, 100 Hz)
# divided by the iterations, in microseconds. A subsection has 10,000 seats: number the runs in one subsection
# 1, 2, ... (RUN, default 1: reservation ids and buyers differ per run) while they add up to at most 10,000.
set -euo pipefail
schema=$1 kind=$2 sub=$3 n=$4 run=${5:-1}
psql=(psql -h 127.0.0.1 -U postgres -d test -X -q -v ON_ERROR_STOP=1)
stats="version, status, total_tickets, remaining, allocated, confirmed, last_event_type, last_event_actor,
       last_event_seats, last_event_at, sub_remaining, sub_allocated, sub_confirmed"
lock="SELECT count(*) INTO v_n FROM (SELECT r.id, r.event_id, r.buyer_id, r.status, r.total_price, r.expires_at,
        r.created_at, r.payment_reference, s.section, s.subsection, s.row_no, s.seat_no, s.price
        FROM $schema.reservations r LEFT JOIN $schema.reservation_seats s ON s.reservation_id = r.id
        WHERE r.id = v_rid ORDER BY s.position FOR UPDATE OF r) x;"
case $kind in
  pre) stats=${stats%, sub_remaining*}
    hold="WITH c AS (SELECT tid, row_number() OVER (ORDER BY seat_id) AS position FROM (
            SELECT ctid AS tid, seat_id FROM $schema.tickets
            WHERE event_id = 1 AND section = 'A' AND subsection = $sub AND status = 'available'
            ORDER BY seat_id LIMIT 1 FOR UPDATE SKIP LOCKED) f),
          u AS (UPDATE $schema.tickets t SET status = 'reserved' FROM c
            WHERE t.ctid = c.tid AND t.event_id = 1 AND t.status = 'available'
            RETURNING c.position, t.seat_id, t.section, t.subsection, t.row_no, t.seat_no, t.price),
          r AS (INSERT INTO $schema.reservations (id, event_id, buyer_id, status, total_price, expires_at, created_at,
                updated_at) SELECT v_rid, 1, v_buyer, 'held', coalesce(sum(price), 0), now() + interval '10 min', now(),
                now() FROM u),
          rs AS (INSERT INTO $schema.reservation_seats (reservation_id, position, seat_id, section, subsection, row_no,
                 seat_no, price) SELECT v_rid, position, seat_id, section, subsection, row_no, seat_no, price FROM u)
        SELECT count(*) INTO v_n FROM u;
        PERFORM set_config('synchronous_commit', 'off', true);
        PERFORM $stats FROM $schema.record_seat_change(1, 'on_sale', 'ticket.reserved', 'buyer:' || v_buyer, now(),
            v_rid, 1, 'available', 'reserved');" ;;
  rules)
    hold="SELECT count(*) INTO v_n FROM (SELECT held_section, held_subsection, held_row_no, held_seat_no, held_price
            FROM $schema.reserve_best_seats(1, 'A', $sub, 1, '$schema/1/A/$sub', v_rid, v_buyer,
                 now() + interval '10 min', now(), 'ticket.reserved', 'buyer:' || v_buyer) ORDER BY held_position) x;
        PERFORM set_config('synchronous_commit', 'off', true);
        PERFORM $stats FROM $schema.events WHERE id = 1;" ;;
  *) echo "kind: pre or rules" >&2; exit 2 ;;
esac
"${psql[@]}" -At <<SQL
SELECT split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint
     + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint AS ticks \gset before_
DO \$\$
DECLARE
    v_rid text;
    v_buyer bigint;
    v_n bigint;
BEGIN
    FOR i IN 1..$n LOOP
        v_rid := 'cpu-$sub-$run-' || i;
        v_buyer := $sub * 10000000 + $run * 1000000 + (i - 1) / 4;
        $hold
        COMMIT;
        $lock
        PERFORM set_config('synchronous_commit', 'off', true);
        PERFORM $stats FROM $schema.confirm_reservation(v_rid, 'bench', now());
        COMMIT;
    END LOOP;
END
\$\$;
SELECT round(((split_part(pg_read_file('/proc/self/stat'), ' ', 14)::bigint
     + split_part(pg_read_file('/proc/self/stat'), ' ', 15)::bigint - :before_ticks) * 10000.0 / $n)::numeric)
     AS "µs per reserve + confirm";
SQL

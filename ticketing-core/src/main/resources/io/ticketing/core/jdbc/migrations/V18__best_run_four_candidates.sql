-- Schema version 18 (there is no version 17: one was withdrawn before release). Runs with search_path set to the
-- store's schema. best_run ranks four candidate starts per run of available seats, as BestAvailable.bestRun has
-- since 2026-12-07, instead of up to fifteen: the first start, the last, and the start nearest the row's middle
-- among all and among those that strand no seat (a start strands a seat only when it is one after the run's first
-- start or one before its last). The same choice, with fewer PL/pgSQL statements per run.
CREATE OR REPLACE FUNCTION best_run(p_free varbit, p_quantity integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_cols integer := length(p_free);
    v_middle integer := (length(p_free) - p_quantity) / 2; -- of two starts equally near the middle, the lower
    v_rest text := p_free::text;
    v_first integer; -- the run's first start, from 0
    v_last integer;  -- its last start
    v_near integer;  -- the start nearest the middle
    v_clean integer; -- the start nearest the middle among those that strand no seat, or null
    v_best bigint := 9223372036854775807; -- (stranded << 42) | (distance << 21) | start: the lowest ranks best
BEGIN
    LOOP
        v_rest := ltrim(v_rest, '0');
        EXIT WHEN v_rest = '';
        v_first := v_cols - length(v_rest);
        v_rest := ltrim(v_rest, '1');
        v_last := v_cols - length(v_rest) - p_quantity;
        CONTINUE WHEN v_last < v_first;
        v_near := greatest(v_first, least(v_last, v_middle));
        v_clean := CASE WHEN v_first + 2 <= v_last - 2 THEN greatest(v_first + 2, least(v_last - 2, v_middle)) END;
        -- least ignores the null rank of a missing v_clean
        v_best := least(v_best,
            (((v_last - v_first = 1)::integer)::bigint << 42)
                | (abs(2 * v_first + p_quantity - v_cols)::bigint << 21) | v_first,
            (((v_last - v_first = 1)::integer)::bigint << 42)
                | (abs(2 * v_last + p_quantity - v_cols)::bigint << 21) | v_last,
            (((v_near - v_first = 1)::integer + (v_last - v_near = 1)::integer)::bigint << 42)
                | (abs(2 * v_near + p_quantity - v_cols)::bigint << 21) | v_near,
            (abs(2 * v_clean + p_quantity - v_cols)::bigint << 21) | v_clean);
    END LOOP;
    RETURN CASE WHEN v_best < 9223372036854775807 THEN (v_best & 2097151)::integer + 1 END;
END
$$;

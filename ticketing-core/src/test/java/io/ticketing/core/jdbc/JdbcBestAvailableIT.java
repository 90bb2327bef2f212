package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.spi.BestAvailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema's ranking functions (V11: {@code row_mask}, {@code best_run}, {@code near_middle}) give what
 * {@link BestAvailable} gives for the same row, on random rows of every width up to past the masks' 62
 * bits and on rows of 1,000 seats, so the PostgreSQL store picks the seats the in-memory store picks.
 */
class JdbcBestAvailableIT {
    private static TestDatabase db;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.create("best_available");
        db.newStore();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void sqlRanksRandomRowsAsBestAvailableDoes() throws SQLException {
        Random random = new Random(20);
        int cases = 3000;
        byte[][] rows = new byte[cases][];
        int[] quantities = new int[cases];
        for (int i = 0; i < cases; i++) {
            int cols = i % 10 == 0 ? 1000 : 1 + random.nextInt(70);
            double taken = random.nextDouble();
            rows[i] = new byte[cols];
            for (int k = 0; k < cols; k++) {
                rows[i][k] = (byte) (random.nextDouble() < taken ? 1 : 0);
            }
            quantities[i] = 1 + random.nextInt(Math.min(cols, 12));
        }
        String s = db.schema();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + s + ".row_mask(f::varbit), " + s + ".best_run(f::varbit, q), " + s + ".near_middle(f::varbit, q) "
                        + "FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS u(f, q, n) ORDER BY n")) {
            ps.setArray(1, c.createArrayOf("text", Arrays.stream(rows).map(JdbcBestAvailableIT::bits).toArray()));
            ps.setArray(2, c.createArrayOf("integer", Arrays.stream(quantities).boxed().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < cases; i++) {
                    rs.next();
                    byte[] row = rows[i];
                    long[] free = words(row);
                    int q = quantities[i];
                    String what = "row " + bits(row) + ", quantity " + q;
                    assertEquals(BestAvailable.rowMask(free, 0, row.length), rs.getLong(1), what);
                    int best = BestAvailable.bestRun(free, 0, row.length, q);
                    assertEquals(best < 0 ? null : best + 1, (Integer) rs.getObject(2), what);
                    int[] separate = new int[q];
                    int n = BestAvailable.nearMiddle(free, 0, row.length, separate, 0, q);
                    Integer[] expected = Arrays.stream(separate, 0, n).map(seat -> seat + 1).boxed().toArray(Integer[]::new);
                    assertArrayEquals(expected, (Integer[]) rs.getArray(3).getArray(), what);
                }
            }
        }
    }

    /** A row as {@link BestAvailable}'s bits: bit i set for an available seat i. */
    private static long[] words(byte[] row) {
        long[] free = new long[(row.length + 63) / 64];
        for (int i = 0; i < row.length; i++) {
            if (row[i] == 0) {
                free[i / 64] |= 1L << i;
            }
        }
        return free;
    }

    /** A row as the schema's bits: 1 for an available seat. */
    private static String bits(byte[] row) {
        StringBuilder out = new StringBuilder(row.length);
        for (byte seat : row) {
            out.append(seat == 0 ? '1' : '0');
        }
        return out.toString();
    }
}

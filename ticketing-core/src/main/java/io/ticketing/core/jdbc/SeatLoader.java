package io.ticketing.core.jdbc;

import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes every seat of a new event into {@code tickets} with one {@code COPY ... FROM STDIN} through the
 * driver's {@link org.postgresql.copy.CopyManager}, streaming the rows in 256 KiB chunks so that a
 * 1,000,000-seat event never sits in memory. Runs inside the caller's transaction.
 */
final class SeatLoader {
    private static final int CHUNK = 256 * 1024;
    private final String copySql;

    SeatLoader(String schema) {
        this.copySql = "COPY " + schema + ".tickets (event_id, seat_id, section, subsection, row_no, seat_no, price) "
                + "FROM STDIN";
    }

    /** Loads the seats in {@code seat_id} order: subsection block, then row, then seat; returns how many. */
    long load(Connection connection, long eventId, SeatingConfig config) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            Chunk chunk = new Chunk(copy);
            byte[] event = (eventId + "\t").getBytes(StandardCharsets.US_ASCII);
            long seatId = 0;
            for (Section section : config.sections()) {
                byte[] blockPrefix = ("\t" + copyText(section.name()) + "\t").getBytes(StandardCharsets.UTF_8);
                byte[] price = ("\t" + section.price() + "\n").getBytes(StandardCharsets.US_ASCII);
                for (int sub = 1; sub <= section.subsections(); sub++) {
                    for (int row = 1; row <= config.rows(); row++) {
                        for (int seat = 1; seat <= config.cols(); seat++) {
                            chunk.put(event).putNumber(++seatId).put(blockPrefix).putNumber(sub).putTab()
                                    .putNumber(row).putTab().putNumber(seat).put(price);
                        }
                    }
                }
            }
            chunk.flush();
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Escapes a value for COPY's text format. */
    private static String copyText(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** A byte buffer that hands itself to the COPY whenever it fills up. */
    private static final class Chunk {
        private final CopyIn copy;
        private final byte[] buffer = new byte[CHUNK];
        private int length;

        Chunk(CopyIn copy) {
            this.copy = copy;
        }

        Chunk put(byte[] bytes) throws SQLException {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
            return this;
        }

        Chunk putTab() throws SQLException {
            ensure(1);
            buffer[length++] = '\t';
            return this;
        }

        Chunk putNumber(long value) throws SQLException {
            ensure(20);
            if (value == 0) {
                buffer[length++] = '0';
                return this;
            }
            int start = length;
            for (long v = value; v > 0; v /= 10) {
                buffer[length++] = (byte) ('0' + v % 10);
            }
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
            return this;
        }

        void flush() throws SQLException {
            if (length > 0) {
                copy.writeToCopy(buffer, 0, length);
                length = 0;
            }
        }

        private void ensure(int bytes) throws SQLException {
            if (length + bytes > buffer.length) {
                flush();
            }
        }
    }
}

package io.ticketing.core.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's versioned SQL scripts ({@code migrations/V<n>__<what>.sql} next to this class) and the
 * {@code schema_version} table that records which ones a schema has. {@link #migrate} applies the missing
 * ones in one transaction under a PostgreSQL advisory lock, so nodes starting together apply each script
 * once; a script changed after it was applied stops the start.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** First key of the advisory lock; the second is the hash of the schema name. */
    private static final int LOCK_CLASS = 0x7469636b; // "tick"

    record Script(int version, String description, String sql, long checksum) {
    }

    static final List<Script> SCRIPTS = List.of(load(1, "create_tables"),
            load(2, "record_seat_change_from_reservation"), load(3, "statistics_as_one_row"),
            load(4, "seat_change_by_primary_key"), load(5, "tickets_without_seat_key"),
            load(6, "seat_change_without_bitmap_scans"), load(7, "subsection_counts_in_events"),
            load(8, "sales_rules"), load(9, "change_log"), load(10, "reservations_by_buyer"),
            load(11, "best_available_in_one_round_trip"), load(12, "seat_rows_without_trigger"),
            load(13, "best_available_without_queries"),
            load(14, "seat_rows_kept_by_the_hold"), load(15, "best_available_reservation_in_one_call"),
            load(16, "less_work_per_reservation"), load(18, "best_run_four_candidates"));

    /** The schema version this library needs. */
    static final int LATEST = SCRIPTS.get(SCRIPTS.size() - 1).version();

    private Migrations() {
    }

    /** Creates the schema if needed and applies every missing script; returns how many it applied. */
    static int migrate(Connection connection, String schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, LOCK_CLASS);
                lock.setString(2, schema);
                lock.execute();
            }
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version ("
                    + "version integer PRIMARY KEY, description text NOT NULL, checksum bigint NOT NULL, "
                    + "installed_at timestamptz NOT NULL DEFAULT now())");
            int applied = 0;
            for (Script script : SCRIPTS) {
                Long checksum = appliedChecksum(connection, schema, script.version());
                if (checksum == null) {
                    st.execute("SET LOCAL search_path TO " + schema);
                    st.execute(script.sql());
                    record(connection, schema, script);
                    applied++;
                    log.info("Applied migration V{}__{} to schema {}", script.version(), script.description(), schema);
                } else if (checksum != script.checksum()) {
                    throw new IllegalStateException("migration V" + script.version() + "__" + script.description()
                            + " of schema " + schema + " was changed after it was applied");
                }
            }
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * The versions of {@link #SCRIPTS} that the schema has not recorded, in order (all of them if it has no
     * {@code schema_version} table). Compared as a set: version numbers may have gaps, and a script may be
     * applied after a higher one.
     */
    static List<Integer> missingVersions(Connection connection, String schema) throws SQLException {
        Set<Integer> recorded = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".schema_version");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    try (Statement st = connection.createStatement();
                         ResultSet versions = st.executeQuery("SELECT version FROM " + schema + ".schema_version")) {
                        while (versions.next()) {
                            recorded.add(versions.getInt(1));
                        }
                    }
                }
            }
        }
        return SCRIPTS.stream().map(Script::version).filter(v -> !recorded.contains(v)).toList();
    }

    private static Long appliedChecksum(Connection connection, String schema, int version) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT checksum FROM " + schema + ".schema_version WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void record(Connection connection, String schema, Script script) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO " + schema + ".schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
            ps.setInt(1, script.version());
            ps.setString(2, script.description());
            ps.setLong(3, script.checksum());
            ps.executeUpdate();
        }
    }

    private static Script load(int version, String description) {
        String name = "migrations/V" + version + "__" + description + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + name);
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return new Script(version, description, new String(bytes, StandardCharsets.UTF_8), crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration resource " + name, e);
        }
    }
}

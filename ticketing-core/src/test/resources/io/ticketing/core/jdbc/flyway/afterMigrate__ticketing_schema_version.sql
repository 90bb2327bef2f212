-- A Flyway callback (docs/postgresql.md, "Flyway or Liquibase"): after Flyway applied the store's scripts,
-- records them in the store's own schema_version, which JdbcTicketStore checks with migrate(false).
SET LOCAL client_min_messages = warning; -- no notice (Flyway logs it as a warning) when the table exists
CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, description text NOT NULL,
    checksum bigint NOT NULL, installed_at timestamptz NOT NULL DEFAULT now());
INSERT INTO schema_version (version, description, checksum)
SELECT version::integer, replace(description, ' ', '_'), 0
FROM flyway_schema_history
WHERE success AND version IS NOT NULL
ON CONFLICT (version) DO NOTHING;

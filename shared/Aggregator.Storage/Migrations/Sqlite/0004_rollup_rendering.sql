-- A rollup is completed only once its report is stored: between the sums and the report it is 'rendering'.
-- A failure keeps a stable code beside its message, and the sums' time is kept apart from the completion's.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt. The migration runs inside one
-- transaction, where foreign keys cannot be switched off; deferring them lets the children's references to the
-- dropped table be checked at commit, against the rebuilt one.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE rollups_before_0004 AS
SELECT id, period_id, unit_code, status, requested_at, completed_at, requested_by, error, stale_since FROM rollups;

DROP TABLE rollups;

CREATE TABLE rollups (
  id TEXT NOT NULL,
  period_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  completed_at TEXT NULL,
  requested_by TEXT NOT NULL,
  error TEXT NULL,
  stale_since TEXT NULL,
  error_code TEXT NULL,
  computed_at TEXT NULL,
  CONSTRAINT pk_rollups PRIMARY KEY (id),
  CONSTRAINT fk_rollups_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_rollups_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_rollups_status CHECK (status IN ('requested', 'rendering', 'completed', 'failed'))
) STRICT;
CREATE INDEX ix_rollups_period_unit ON rollups (period_id, unit_code);

INSERT INTO rollups (id, period_id, unit_code, status, requested_at, completed_at, requested_by, error, stale_since, error_code, computed_at)
SELECT id, period_id, unit_code, status, requested_at, completed_at, requested_by, error, stale_since,
       CASE WHEN status = 'failed' THEN 'rollup_failed' END,
       CASE WHEN status = 'completed' THEN completed_at END
FROM rollups_before_0004;

DROP TABLE rollups_before_0004;

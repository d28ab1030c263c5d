-- The district office's review of a version: returned for correction with a reason, or accepted despite its
-- warnings with a justification. A returned version leaves the accepted statuses, so no rollup counts it.
-- SQLite cannot change a CHECK constraint in place, so submission_versions is rebuilt, its children's references
-- checked at commit as in 0004.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE submission_versions_before_0008 AS
SELECT submission_id, version, status, document, received_at, submitted_by, validated_at, announced_at FROM submission_versions;

DROP TABLE submission_versions;

CREATE TABLE submission_versions (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  document TEXT NOT NULL,
  received_at TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  validated_at TEXT NULL,
  announced_at TEXT NULL,
  CONSTRAINT pk_submission_versions PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_submission_versions_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
  CONSTRAINT ck_submission_versions_status CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected', 'returned'))
) STRICT;
CREATE INDEX ix_submission_versions_received ON submission_versions (received_at) WHERE status = 'received';

INSERT INTO submission_versions (submission_id, version, status, document, received_at, submitted_by, validated_at, announced_at)
SELECT submission_id, version, status, document, received_at, submitted_by, validated_at, announced_at
FROM submission_versions_before_0008;

DROP TABLE submission_versions_before_0008;

CREATE TABLE submission_reviews (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  decision TEXT NOT NULL,
  note TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  CONSTRAINT pk_submission_reviews PRIMARY KEY (submission_id, version, decision),
  CONSTRAINT fk_submission_reviews_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_submission_reviews_decision CHECK (decision IN ('returned', 'accepted'))
) STRICT;

-- A closed period reopened for single units: only these may submit until the office closes them again.
CREATE TABLE period_unit_reopenings (
  period_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  reopened_at TEXT NOT NULL,
  reopened_by TEXT NOT NULL,
  CONSTRAINT pk_period_unit_reopenings PRIMARY KEY (period_id, unit_code),
  CONSTRAINT fk_period_unit_reopenings_unit FOREIGN KEY (period_id, unit_code) REFERENCES period_units (period_id, unit_code)
) STRICT;

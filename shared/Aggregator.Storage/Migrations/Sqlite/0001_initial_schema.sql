-- Tables are STRICT so that a value bound with the wrong type fails instead of being stored silently.
-- Decimals are TEXT: SQLite's numeric affinity would turn them into doubles and lose exactness.
-- Ids are canonical lower-case uuid text; timestamps are fixed-width UTC ISO-8601 text, so they sort as instants.
CREATE TABLE org_units (
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_code TEXT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT pk_org_units PRIMARY KEY (code),
  CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_code) REFERENCES org_units (code),
  CONSTRAINT ck_org_units_kind CHECK (kind IN ('district', 'department', 'township', 'street', 'city', 'other')),
  CONSTRAINT ck_org_units_parent CHECK (parent_code IS NULL OR parent_code <> code)
) STRICT;
CREATE INDEX ix_org_units_parent_code ON org_units (parent_code);

CREATE TABLE periods (
  id TEXT NOT NULL,
  year INTEGER NOT NULL,
  form_id TEXT NOT NULL,
  root_unit_code TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT pk_periods PRIMARY KEY (id),
  CONSTRAINT uq_periods_year_root UNIQUE (year, root_unit_code),
  CONSTRAINT fk_periods_root FOREIGN KEY (root_unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_periods_status CHECK (status IN ('open', 'closed'))
) STRICT;

CREATE TABLE period_units (
  period_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  CONSTRAINT pk_period_units PRIMARY KEY (period_id, unit_code),
  CONSTRAINT fk_period_units_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_period_units_unit FOREIGN KEY (unit_code) REFERENCES org_units (code)
) STRICT;

CREATE TABLE submissions (
  id TEXT NOT NULL,
  period_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT pk_submissions PRIMARY KEY (id),
  CONSTRAINT uq_submissions_period_unit UNIQUE (period_id, unit_code),
  CONSTRAINT fk_submissions_expected_unit FOREIGN KEY (period_id, unit_code) REFERENCES period_units (period_id, unit_code)
) STRICT;

CREATE TABLE submission_versions (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  document TEXT NOT NULL,
  received_at TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  validated_at TEXT NULL,
  CONSTRAINT pk_submission_versions PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_submission_versions_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
  CONSTRAINT ck_submission_versions_status CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected'))
) STRICT;

CREATE TABLE cell_values (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NULL,
  raw_text TEXT NULL,
  flags INTEGER NOT NULL,
  CONSTRAINT pk_cell_values PRIMARY KEY (submission_id, version, cell_id),
  CONSTRAINT fk_cell_values_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
) STRICT;

CREATE TABLE validation_results (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  violations TEXT NOT NULL,
  validated_at TEXT NOT NULL,
  CONSTRAINT pk_validation_results PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_validation_results_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_validation_results_outcome CHECK (outcome IN ('accepted', 'accepted_with_warnings', 'rejected'))
) STRICT;

CREATE TABLE rollups (
  id TEXT NOT NULL,
  period_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  completed_at TEXT NULL,
  requested_by TEXT NOT NULL,
  error TEXT NULL,
  CONSTRAINT pk_rollups PRIMARY KEY (id),
  CONSTRAINT fk_rollups_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_rollups_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_rollups_status CHECK (status IN ('requested', 'completed', 'failed'))
) STRICT;
CREATE INDEX ix_rollups_period_unit ON rollups (period_id, unit_code);

CREATE TABLE rollup_inputs (
  rollup_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  CONSTRAINT pk_rollup_inputs PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_inputs_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT fk_rollup_inputs_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
) STRICT;

CREATE TABLE rollup_values (
  rollup_id TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NULL,
  CONSTRAINT pk_rollup_values PRIMARY KEY (rollup_id, cell_id),
  CONSTRAINT fk_rollup_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
) STRICT;

CREATE TABLE rollup_exclusions (
  rollup_id TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  rules TEXT NULL,
  CONSTRAINT pk_rollup_exclusions PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_exclusions_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT ck_rollup_exclusions_reason CHECK (reason IN ('missing', 'rejected', 'pending'))
) STRICT;

CREATE TABLE reports (
  rollup_id TEXT NOT NULL,
  format TEXT NOT NULL,
  content TEXT NOT NULL,
  rendered_at TEXT NOT NULL,
  CONSTRAINT pk_reports PRIMARY KEY (rollup_id, format),
  CONSTRAINT fk_reports_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
) STRICT;

CREATE TABLE api_keys (
  id TEXT NOT NULL,
  key_prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_code TEXT NULL,
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT NULL,
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT uq_api_keys_prefix UNIQUE (key_prefix),
  CONSTRAINT fk_api_keys_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'unit', 'ops')),
  CONSTRAINT ck_api_keys_unit_role CHECK (role <> 'unit' OR unit_code IS NOT NULL)
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  occurred_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_role TEXT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  details TEXT NULL
) STRICT;
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  published_at TEXT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NULL
) STRICT;
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  owner_key_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response_body TEXT NULL,
  content_type TEXT NULL,
  location TEXT NULL,
  created_at TEXT NOT NULL,
  CONSTRAINT pk_idempotency_keys PRIMARY KEY (owner_key_id, idempotency_key)
) STRICT;

CREATE TABLE org_units (
  code nvarchar(64) NOT NULL,
  name nvarchar(200) NOT NULL,
  kind nvarchar(16) NOT NULL,
  parent_code nvarchar(64) NULL,
  updated_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_org_units PRIMARY KEY (code),
  CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_code) REFERENCES org_units (code),
  CONSTRAINT ck_org_units_kind CHECK (kind IN ('district', 'department', 'township', 'street', 'city', 'other')),
  CONSTRAINT ck_org_units_parent CHECK (parent_code IS NULL OR parent_code <> code)
);
CREATE INDEX ix_org_units_parent_code ON org_units (parent_code);

CREATE TABLE periods (
  id uniqueidentifier NOT NULL,
  year int NOT NULL,
  form_id nvarchar(32) NOT NULL,
  root_unit_code nvarchar(64) NOT NULL,
  due_date date NOT NULL,
  status nvarchar(16) NOT NULL,
  created_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_periods PRIMARY KEY (id),
  CONSTRAINT uq_periods_year_root UNIQUE (year, root_unit_code),
  CONSTRAINT fk_periods_root FOREIGN KEY (root_unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_periods_status CHECK (status IN ('open', 'closed'))
);

CREATE TABLE period_units (
  period_id uniqueidentifier NOT NULL,
  unit_code nvarchar(64) NOT NULL,
  CONSTRAINT pk_period_units PRIMARY KEY (period_id, unit_code),
  CONSTRAINT fk_period_units_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_period_units_unit FOREIGN KEY (unit_code) REFERENCES org_units (code)
);

CREATE TABLE submissions (
  id uniqueidentifier NOT NULL,
  period_id uniqueidentifier NOT NULL,
  unit_code nvarchar(64) NOT NULL,
  latest_version int NOT NULL,
  created_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_submissions PRIMARY KEY (id),
  CONSTRAINT uq_submissions_period_unit UNIQUE (period_id, unit_code),
  CONSTRAINT fk_submissions_expected_unit FOREIGN KEY (period_id, unit_code) REFERENCES period_units (period_id, unit_code)
);

CREATE TABLE submission_versions (
  submission_id uniqueidentifier NOT NULL,
  version int NOT NULL,
  status nvarchar(32) NOT NULL,
  document nvarchar(max) NOT NULL,
  received_at datetimeoffset(7) NOT NULL,
  submitted_by nvarchar(64) NOT NULL,
  validated_at datetimeoffset(7) NULL,
  CONSTRAINT pk_submission_versions PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_submission_versions_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
  CONSTRAINT ck_submission_versions_status CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected'))
);

CREATE TABLE cell_values (
  submission_id uniqueidentifier NOT NULL,
  version int NOT NULL,
  cell_id nvarchar(128) NOT NULL,
  value decimal(19, 4) NULL,
  raw_text nvarchar(1000) NULL,
  flags int NOT NULL,
  CONSTRAINT pk_cell_values PRIMARY KEY (submission_id, version, cell_id),
  CONSTRAINT fk_cell_values_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
);

CREATE TABLE validation_results (
  submission_id uniqueidentifier NOT NULL,
  version int NOT NULL,
  outcome nvarchar(32) NOT NULL,
  violations nvarchar(max) NOT NULL,
  validated_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_validation_results PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_validation_results_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_validation_results_outcome CHECK (outcome IN ('accepted', 'accepted_with_warnings', 'rejected'))
);

CREATE TABLE rollups (
  id uniqueidentifier NOT NULL,
  period_id uniqueidentifier NOT NULL,
  unit_code nvarchar(64) NOT NULL,
  status nvarchar(16) NOT NULL,
  requested_at datetimeoffset(7) NOT NULL,
  completed_at datetimeoffset(7) NULL,
  requested_by nvarchar(64) NOT NULL,
  error nvarchar(max) NULL,
  CONSTRAINT pk_rollups PRIMARY KEY (id),
  CONSTRAINT fk_rollups_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_rollups_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_rollups_status CHECK (status IN ('requested', 'completed', 'failed'))
);
CREATE INDEX ix_rollups_period_unit ON rollups (period_id, unit_code);

CREATE TABLE rollup_inputs (
  rollup_id uniqueidentifier NOT NULL,
  unit_code nvarchar(64) NOT NULL,
  submission_id uniqueidentifier NOT NULL,
  version int NOT NULL,
  CONSTRAINT pk_rollup_inputs PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_inputs_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT fk_rollup_inputs_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
);

CREATE TABLE rollup_values (
  rollup_id uniqueidentifier NOT NULL,
  cell_id nvarchar(128) NOT NULL,
  value decimal(19, 4) NULL,
  CONSTRAINT pk_rollup_values PRIMARY KEY (rollup_id, cell_id),
  CONSTRAINT fk_rollup_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

CREATE TABLE rollup_exclusions (
  rollup_id uniqueidentifier NOT NULL,
  unit_code nvarchar(64) NOT NULL,
  reason nvarchar(16) NOT NULL,
  rules nvarchar(max) NULL,
  CONSTRAINT pk_rollup_exclusions PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_exclusions_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT ck_rollup_exclusions_reason CHECK (reason IN ('missing', 'rejected', 'pending'))
);

CREATE TABLE reports (
  rollup_id uniqueidentifier NOT NULL,
  format nvarchar(16) NOT NULL,
  content nvarchar(max) NOT NULL,
  rendered_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_reports PRIMARY KEY (rollup_id, format),
  CONSTRAINT fk_reports_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

CREATE TABLE api_keys (
  id uniqueidentifier NOT NULL,
  key_prefix nvarchar(32) NOT NULL,
  key_hash nvarchar(256) NOT NULL,
  role nvarchar(16) NOT NULL,
  unit_code nvarchar(64) NULL,
  label nvarchar(200) NOT NULL,
  created_at datetimeoffset(7) NOT NULL,
  revoked_at datetimeoffset(7) NULL,
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT uq_api_keys_prefix UNIQUE (key_prefix),
  CONSTRAINT fk_api_keys_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'unit', 'ops')),
  CONSTRAINT ck_api_keys_unit_role CHECK (role <> 'unit' OR unit_code IS NOT NULL)
);

CREATE TABLE audit_log (
  id bigint IDENTITY(1, 1) NOT NULL,
  occurred_at datetimeoffset(7) NOT NULL,
  actor nvarchar(64) NOT NULL,
  actor_role nvarchar(16) NULL,
  action nvarchar(64) NOT NULL,
  target_type nvarchar(32) NOT NULL,
  target_id nvarchar(128) NOT NULL,
  details nvarchar(max) NULL,
  CONSTRAINT pk_audit_log PRIMARY KEY (id)
);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id);

CREATE TABLE outbox (
  id bigint IDENTITY(1, 1) NOT NULL,
  message_type nvarchar(256) NOT NULL,
  payload nvarchar(max) NOT NULL,
  created_at datetimeoffset(7) NOT NULL,
  published_at datetimeoffset(7) NULL,
  attempts int NOT NULL CONSTRAINT df_outbox_attempts DEFAULT 0,
  last_error nvarchar(max) NULL,
  CONSTRAINT pk_outbox PRIMARY KEY (id)
);
CREATE INDEX ix_outbox_pending ON outbox (id) INCLUDE (created_at) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  owner_key_id nvarchar(64) NOT NULL,
  idempotency_key nvarchar(128) NOT NULL,
  request_hash nvarchar(128) NOT NULL,
  status_code int NOT NULL,
  response_body nvarchar(max) NULL,
  content_type nvarchar(128) NULL,
  location nvarchar(512) NULL,
  created_at datetimeoffset(7) NOT NULL,
  CONSTRAINT pk_idempotency_keys PRIMARY KEY (owner_key_id, idempotency_key)
);

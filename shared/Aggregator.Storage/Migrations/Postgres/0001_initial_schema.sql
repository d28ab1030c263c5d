CREATE TABLE org_units (
  code varchar(64) NOT NULL,
  name varchar(200) NOT NULL,
  kind varchar(16) NOT NULL,
  parent_code varchar(64) NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT pk_org_units PRIMARY KEY (code),
  CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_code) REFERENCES org_units (code),
  CONSTRAINT ck_org_units_kind CHECK (kind IN ('district', 'department', 'township', 'street', 'city', 'other')),
  CONSTRAINT ck_org_units_parent CHECK (parent_code IS NULL OR parent_code <> code)
);
CREATE INDEX ix_org_units_parent_code ON org_units (parent_code);

CREATE TABLE periods (
  id uuid NOT NULL,
  year integer NOT NULL,
  form_id varchar(32) NOT NULL,
  root_unit_code varchar(64) NOT NULL,
  due_date date NOT NULL,
  status varchar(16) NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT pk_periods PRIMARY KEY (id),
  CONSTRAINT uq_periods_year_root UNIQUE (year, root_unit_code),
  CONSTRAINT fk_periods_root FOREIGN KEY (root_unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_periods_status CHECK (status IN ('open', 'closed'))
);

CREATE TABLE period_units (
  period_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  CONSTRAINT pk_period_units PRIMARY KEY (period_id, unit_code),
  CONSTRAINT fk_period_units_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_period_units_unit FOREIGN KEY (unit_code) REFERENCES org_units (code)
);

CREATE TABLE submissions (
  id uuid NOT NULL,
  period_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  latest_version integer NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT pk_submissions PRIMARY KEY (id),
  CONSTRAINT uq_submissions_period_unit UNIQUE (period_id, unit_code),
  CONSTRAINT fk_submissions_expected_unit FOREIGN KEY (period_id, unit_code) REFERENCES period_units (period_id, unit_code)
);

CREATE TABLE submission_versions (
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  status varchar(32) NOT NULL,
  document text NOT NULL,
  received_at timestamptz NOT NULL,
  submitted_by varchar(64) NOT NULL,
  validated_at timestamptz NULL,
  CONSTRAINT pk_submission_versions PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_submission_versions_submission FOREIGN KEY (submission_id) REFERENCES submissions (id),
  CONSTRAINT ck_submission_versions_status CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected'))
);

CREATE TABLE cell_values (
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  cell_id varchar(128) NOT NULL,
  value numeric(19, 4) NULL,
  raw_text text NULL,
  flags integer NOT NULL,
  CONSTRAINT pk_cell_values PRIMARY KEY (submission_id, version, cell_id),
  CONSTRAINT fk_cell_values_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
);

CREATE TABLE validation_results (
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  outcome varchar(32) NOT NULL,
  violations text NOT NULL,
  validated_at timestamptz NOT NULL,
  CONSTRAINT pk_validation_results PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_validation_results_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_validation_results_outcome CHECK (outcome IN ('accepted', 'accepted_with_warnings', 'rejected'))
);

CREATE TABLE rollups (
  id uuid NOT NULL,
  period_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  status varchar(16) NOT NULL,
  requested_at timestamptz NOT NULL,
  completed_at timestamptz NULL,
  requested_by varchar(64) NOT NULL,
  error text NULL,
  CONSTRAINT pk_rollups PRIMARY KEY (id),
  CONSTRAINT fk_rollups_period FOREIGN KEY (period_id) REFERENCES periods (id),
  CONSTRAINT fk_rollups_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_rollups_status CHECK (status IN ('requested', 'completed', 'failed'))
);
CREATE INDEX ix_rollups_period_unit ON rollups (period_id, unit_code);

CREATE TABLE rollup_inputs (
  rollup_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  CONSTRAINT pk_rollup_inputs PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_inputs_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT fk_rollup_inputs_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
);

CREATE TABLE rollup_values (
  rollup_id uuid NOT NULL,
  cell_id varchar(128) NOT NULL,
  value numeric(19, 4) NULL,
  CONSTRAINT pk_rollup_values PRIMARY KEY (rollup_id, cell_id),
  CONSTRAINT fk_rollup_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

CREATE TABLE rollup_exclusions (
  rollup_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  reason varchar(16) NOT NULL,
  rules text NULL,
  CONSTRAINT pk_rollup_exclusions PRIMARY KEY (rollup_id, unit_code),
  CONSTRAINT fk_rollup_exclusions_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id),
  CONSTRAINT ck_rollup_exclusions_reason CHECK (reason IN ('missing', 'rejected', 'pending'))
);

CREATE TABLE reports (
  rollup_id uuid NOT NULL,
  format varchar(16) NOT NULL,
  content text NOT NULL,
  rendered_at timestamptz NOT NULL,
  CONSTRAINT pk_reports PRIMARY KEY (rollup_id, format),
  CONSTRAINT fk_reports_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

CREATE TABLE api_keys (
  id uuid NOT NULL,
  key_prefix varchar(32) NOT NULL,
  key_hash varchar(256) NOT NULL,
  role varchar(16) NOT NULL,
  unit_code varchar(64) NULL,
  label varchar(200) NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz NULL,
  CONSTRAINT pk_api_keys PRIMARY KEY (id),
  CONSTRAINT uq_api_keys_prefix UNIQUE (key_prefix),
  CONSTRAINT fk_api_keys_unit FOREIGN KEY (unit_code) REFERENCES org_units (code),
  CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'unit', 'ops')),
  CONSTRAINT ck_api_keys_unit_role CHECK (role <> 'unit' OR unit_code IS NOT NULL)
);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY,
  occurred_at timestamptz NOT NULL,
  actor varchar(64) NOT NULL,
  actor_role varchar(16) NULL,
  action varchar(64) NOT NULL,
  target_type varchar(32) NOT NULL,
  target_id varchar(128) NOT NULL,
  details text NULL,
  CONSTRAINT pk_audit_log PRIMARY KEY (id)
);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id);

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY,
  message_type varchar(256) NOT NULL,
  payload text NOT NULL,
  created_at timestamptz NOT NULL,
  published_at timestamptz NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text NULL,
  CONSTRAINT pk_outbox PRIMARY KEY (id)
);
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  owner_key_id varchar(64) NOT NULL,
  idempotency_key varchar(128) NOT NULL,
  request_hash varchar(128) NOT NULL,
  status_code integer NOT NULL,
  response_body text NULL,
  content_type varchar(128) NULL,
  location varchar(512) NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT pk_idempotency_keys PRIMARY KEY (owner_key_id, idempotency_key)
);

-- The district office's review of a version: returned for correction with a reason, or accepted despite its
-- warnings with a justification. A returned version leaves the accepted statuses, so no rollup counts it.
ALTER TABLE submission_versions DROP CONSTRAINT ck_submission_versions_status;
ALTER TABLE submission_versions ADD CONSTRAINT ck_submission_versions_status
  CHECK (status IN ('received', 'accepted', 'accepted_with_warnings', 'rejected', 'returned'));

CREATE TABLE submission_reviews (
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  decision varchar(16) NOT NULL,
  note text NOT NULL,
  decided_at timestamptz NOT NULL,
  decided_by varchar(64) NOT NULL,
  CONSTRAINT pk_submission_reviews PRIMARY KEY (submission_id, version, decision),
  CONSTRAINT fk_submission_reviews_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_submission_reviews_decision CHECK (decision IN ('returned', 'accepted'))
);

-- A closed period reopened for single units: only these may submit until the office closes them again.
CREATE TABLE period_unit_reopenings (
  period_id uuid NOT NULL,
  unit_code varchar(64) NOT NULL,
  reopened_at timestamptz NOT NULL,
  reopened_by varchar(64) NOT NULL,
  CONSTRAINT pk_period_unit_reopenings PRIMARY KEY (period_id, unit_code),
  CONSTRAINT fk_period_unit_reopenings_unit FOREIGN KEY (period_id, unit_code) REFERENCES period_units (period_id, unit_code)
);

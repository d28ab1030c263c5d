-- The district office's own text of a period's report (一's five parts, 五, 六, its name, the publication date), kept
-- as one JSON document: the parts are only ever read and written together, by the report and the text endpoint.
CREATE TABLE report_texts (
  period_id uuid NOT NULL,
  content text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by varchar(64) NOT NULL,
  CONSTRAINT pk_report_texts PRIMARY KEY (period_id),
  CONSTRAINT fk_report_texts_period FOREIGN KEY (period_id) REFERENCES periods (id)
);

-- A rollup's totals split by the direct children of its root, computed in the same pass as the totals: the report's
-- breakdown and the CLI's children read these rows instead of streaming every unit's cells again. Rollups built
-- before this migration have none and are split by streaming their inputs' cells, as before.
CREATE TABLE rollup_child_values (
  rollup_id uuid NOT NULL,
  child_code varchar(64) NOT NULL,
  cell_id varchar(128) NOT NULL,
  value numeric(21, 6) NOT NULL,
  CONSTRAINT pk_rollup_child_values PRIMARY KEY (rollup_id, child_code, cell_id),
  CONSTRAINT fk_rollup_child_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

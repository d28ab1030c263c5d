-- A rollup's totals split by the direct children of its root, computed in the same pass as the totals: the report's
-- breakdown and the CLI's children read these rows instead of streaming every unit's cells again. Rollups built
-- before this migration have none and are split by streaming their inputs' cells, as before.
CREATE TABLE rollup_child_values (
  rollup_id uniqueidentifier NOT NULL,
  child_code nvarchar(64) NOT NULL,
  cell_id nvarchar(128) NOT NULL,
  value decimal(21, 6) NOT NULL,
  CONSTRAINT pk_rollup_child_values PRIMARY KEY (rollup_id, child_code, cell_id),
  CONSTRAINT fk_rollup_child_values_rollup FOREIGN KEY (rollup_id) REFERENCES rollups (id)
);

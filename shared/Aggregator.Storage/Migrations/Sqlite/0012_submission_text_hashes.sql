-- One row per distinct sentence hash of a version's narrative, indexed by hash: the texts sharing sentences with a
-- new version are found through the index, not by reading every unit's text of the period.
CREATE TABLE submission_text_hashes (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  CONSTRAINT pk_submission_text_hashes PRIMARY KEY (submission_id, version, hash),
  CONSTRAINT fk_submission_text_hashes_text FOREIGN KEY (submission_id, version) REFERENCES submission_texts (submission_id, version)
) STRICT;

CREATE INDEX ix_submission_text_hashes_hash ON submission_text_hashes (hash);

WITH RECURSIVE split (submission_id, version, hash, rest) AS (
  SELECT submission_id, version, '', sentence_hashes || ' ' FROM submission_texts
  UNION ALL
  SELECT submission_id, version, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
  FROM split WHERE rest <> ''
)
INSERT INTO submission_text_hashes (submission_id, version, hash)
SELECT DISTINCT submission_id, version, hash FROM split WHERE hash <> '';

-- One row per distinct sentence hash of a version's narrative, indexed by hash: the texts sharing sentences with a
-- new version are found through the index, not by reading every unit's text of the period.
CREATE TABLE submission_text_hashes (
  submission_id uuid NOT NULL,
  version integer NOT NULL,
  hash text NOT NULL,
  CONSTRAINT pk_submission_text_hashes PRIMARY KEY (submission_id, version, hash),
  CONSTRAINT fk_submission_text_hashes_text FOREIGN KEY (submission_id, version) REFERENCES submission_texts (submission_id, version)
);

CREATE INDEX ix_submission_text_hashes_hash ON submission_text_hashes (hash);

INSERT INTO submission_text_hashes (submission_id, version, hash)
SELECT DISTINCT t.submission_id, t.version, h.hash
FROM submission_texts t
CROSS JOIN LATERAL regexp_split_to_table(t.sentence_hashes, ' ') AS h (hash)
WHERE h.hash <> '';

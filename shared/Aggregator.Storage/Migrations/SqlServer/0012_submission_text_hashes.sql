-- One row per distinct sentence hash of a version's narrative, indexed by hash: the texts sharing sentences with a
-- new version are found through the index, not by reading every unit's text of the period.
CREATE TABLE submission_text_hashes (
  submission_id uniqueidentifier NOT NULL,
  version int NOT NULL,
  hash varchar(16) NOT NULL,
  CONSTRAINT pk_submission_text_hashes PRIMARY KEY (submission_id, version, hash),
  CONSTRAINT fk_submission_text_hashes_text FOREIGN KEY (submission_id, version) REFERENCES submission_texts (submission_id, version)
);

CREATE INDEX ix_submission_text_hashes_hash ON submission_text_hashes (hash);

INSERT INTO submission_text_hashes (submission_id, version, hash)
SELECT DISTINCT t.submission_id, t.version, CAST(s.value AS varchar(16))
FROM submission_texts t
CROSS APPLY STRING_SPLIT(t.sentence_hashes, ' ') AS s
WHERE s.value <> '';

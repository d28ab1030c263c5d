-- A version's narrative (the report's text outside the tables) with the hashes of its distinct sentences, written
-- with the version: a new version is compared with every other unit's text by these hashes alone, never by
-- splitting the other texts again.
CREATE TABLE submission_texts (
  submission_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  narrative TEXT NOT NULL,
  sentence_count INTEGER NOT NULL,
  sentence_hashes TEXT NOT NULL,
  CONSTRAINT pk_submission_texts PRIMARY KEY (submission_id, version),
  CONSTRAINT fk_submission_texts_version FOREIGN KEY (submission_id, version) REFERENCES submission_versions (submission_id, version)
) STRICT;

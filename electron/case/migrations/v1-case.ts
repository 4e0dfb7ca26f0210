import { appendOnly } from './append-only.js';

/** v1: the case record itself. */
export const V1_CASE = `
CREATE TABLE case_meta (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  case_id       TEXT NOT NULL,
  title         TEXT NOT NULL,
  reference     TEXT,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  tool_version  TEXT NOT NULL
) STRICT;
${appendOnly('case_meta')}

-- The custody journal: one row per action, hash-chained (electron/store/custody.ts).
CREATE TABLE journal (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  subject    TEXT,
  details    TEXT NOT NULL,   -- RFC 8785 canonical JSON object
  prev_hash  TEXT NOT NULL,   -- lowercase hex
  hash       TEXT NOT NULL    -- lowercase hex
) STRICT;
${appendOnly('journal')}

CREATE TABLE evidence (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('bundle', 'key', 'other')),
  container       TEXT NOT NULL CHECK (container IN ('file', 'directory')),
  digest          TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),
  size            INTEGER NOT NULL CHECK (size >= 0),
  file_count      INTEGER NOT NULL CHECK (file_count >= 1),
  stored_path     TEXT NOT NULL UNIQUE,
  original_path   TEXT NOT NULL,
  original_mtime  TEXT,
  imported_at     TEXT NOT NULL,
  imported_by     TEXT NOT NULL,
  label           TEXT,
  journal_seq     INTEGER NOT NULL UNIQUE REFERENCES journal(seq)
) STRICT;
${appendOnly('evidence')}

-- Members of a directory evidence item (a bundle directory); one row per regular file.
CREATE TABLE evidence_files (
  evidence_id     INTEGER NOT NULL REFERENCES evidence(id),
  path            TEXT NOT NULL,
  size            INTEGER NOT NULL CHECK (size >= 0),
  digest          TEXT NOT NULL CHECK (length(digest) = 64),
  original_mtime  TEXT,
  PRIMARY KEY (evidence_id, path)
) STRICT, WITHOUT ROWID;
${appendOnly('evidence_files')}

CREATE TABLE trusted_keys (
  id                  INTEGER PRIMARY KEY,
  fingerprint         TEXT NOT NULL CHECK (length(fingerprint) = 64),
  algorithm           TEXT NOT NULL CHECK (algorithm = 'ed25519'),
  public_key          TEXT NOT NULL CHECK (length(public_key) = 64),
  key_name            TEXT,
  label               TEXT NOT NULL,
  origin              TEXT,              -- NULL: trusted for any origin
  valid_from          TEXT,
  valid_until         TEXT,
  source_evidence_id  INTEGER REFERENCES evidence(id),
  trusted_at          TEXT NOT NULL,
  trusted_by          TEXT NOT NULL,
  journal_seq         INTEGER NOT NULL UNIQUE REFERENCES journal(seq)
) STRICT;
CREATE UNIQUE INDEX trusted_keys_grant ON trusted_keys (fingerprint, ifnull(origin, ''));
${appendOnly('trusted_keys')}

CREATE TABLE key_revocations (
  id           INTEGER PRIMARY KEY,
  fingerprint  TEXT NOT NULL CHECK (length(fingerprint) = 64),
  revoked_at   TEXT NOT NULL,
  reason       TEXT,
  recorded_at  TEXT NOT NULL,
  recorded_by  TEXT NOT NULL,
  journal_seq  INTEGER NOT NULL UNIQUE REFERENCES journal(seq)
) STRICT;
CREATE INDEX key_revocations_fp ON key_revocations (fingerprint);
${appendOnly('key_revocations')}

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'cancelled')),
  tool_version   TEXT NOT NULL,
  parameters     TEXT NOT NULL,    -- canonical JSON
  trusted_keys   TEXT NOT NULL,    -- canonical JSON: the trust material the run used
  runner         TEXT NOT NULL,    -- host:pid, to recognise runs whose process died
  started_at     TEXT NOT NULL,
  started_by     TEXT NOT NULL,
  finished_at    TEXT,
  verdict        TEXT,
  entries        INTEGER,
  verified       INTEGER,
  failed         INTEGER,
  unverifiable   INTEGER,
  errors         INTEGER,
  warnings       INTEGER,
  result         TEXT,             -- canonical JSON of the result (VerificationResult for 'verify')
  result_digest  TEXT,             -- SHA-256 of result
  stats          TEXT,             -- timings: not evidence, not in the digest
  error          TEXT,
  start_seq      INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
  finish_seq     INTEGER UNIQUE REFERENCES journal(seq)
) STRICT;
CREATE TRIGGER runs_finished_immutable BEFORE UPDATE ON runs WHEN OLD.status <> 'running'
BEGIN SELECT RAISE(ABORT, 'proofdesk: a finished run is immutable'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'proofdesk: runs is append-only'); END;

CREATE TABLE run_inputs (
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  role         TEXT NOT NULL,     -- 'bundle' for verify; 'old' / 'new' for diff; 'key' for ad-hoc trust files
  evidence_id  INTEGER NOT NULL REFERENCES evidence(id),
  PRIMARY KEY (run_id, role, evidence_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX run_inputs_evidence ON run_inputs (evidence_id);
${appendOnly('run_inputs')}

CREATE TABLE findings (
  run_id           INTEGER NOT NULL REFERENCES runs(id),
  ordinal          INTEGER NOT NULL,
  code             TEXT NOT NULL,
  severity         TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  file             TEXT,
  entry            INTEGER,
  byte_offset      INTEGER,
  checkpoint_size  INTEGER,
  json_path        TEXT,
  range_from       INTEGER,
  range_to         INTEGER,
  message          TEXT NOT NULL,
  evidence         TEXT,          -- canonical JSON
  PRIMARY KEY (run_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX findings_entry ON findings (run_id, entry) WHERE entry IS NOT NULL;
CREATE INDEX findings_code ON findings (run_id, code);
${appendOnly('findings')}

-- The coverage ranges of a run, so that an entry's status is one indexed lookup.
CREATE TABLE run_coverage (
  run_id    INTEGER NOT NULL REFERENCES runs(id),
  from_idx  INTEGER NOT NULL,
  to_idx    INTEGER NOT NULL,
  status    TEXT NOT NULL CHECK (status IN ('verified', 'failed', 'unverifiable')),
  reason    TEXT NOT NULL,
  PRIMARY KEY (run_id, from_idx)
) STRICT, WITHOUT ROWID;
${appendOnly('run_coverage')}

CREATE TABLE reports (
  id                    INTEGER PRIMARY KEY,
  run_id                INTEGER REFERENCES runs(id),
  signed_at             TEXT NOT NULL,
  signed_by             TEXT NOT NULL,
  examiner_fingerprint  TEXT,
  anchored_seq          INTEGER,     -- the journal head written into the attestation
  anchored_hash         TEXT,
  journal_seq           INTEGER NOT NULL UNIQUE REFERENCES journal(seq)
) STRICT;
${appendOnly('reports')}

CREATE TABLE report_files (
  report_id  INTEGER NOT NULL REFERENCES reports(id),
  role       TEXT NOT NULL,        -- 'pdf', 'attestation', 'signature', …
  path       TEXT NOT NULL,        -- absolute path where the report was written
  size       INTEGER NOT NULL,
  digest     TEXT NOT NULL CHECK (length(digest) = 64),
  PRIMARY KEY (report_id, role)
) STRICT, WITHOUT ROWID;
${appendOnly('report_files')}
`;

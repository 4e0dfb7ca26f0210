/**
 * v4: a bundle's search index can be rebuilt while the old one keeps answering queries. The
 * new set is built beside the old ('building'), and the two change places in one transaction
 * when it is complete, so a query sees the old index or the new one, never a part of one. At
 * most one set per bundle is ready and at most one is building (partial unique indexes); a
 * building set names its builder ("host:pid"), so a second builder can wait for a live one and
 * take over from a dead one. Ids are never reused (AUTOINCREMENT): a builder that died can
 * leave tables named after its set id, and a later set must never share that name.
 *
 * derived_entry_sets is derived data (docs/case-file.md §2): the table is rebuilt, rows kept.
 */
export const V4_ENTRY_SET_SWAP = `
CREATE TABLE derived_entry_sets_v4 (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  evidence_id        INTEGER NOT NULL REFERENCES evidence(id),
  run_id             INTEGER REFERENCES runs(id),
  state              TEXT NOT NULL CHECK (state IN ('building', 'ready')),
  extractor          TEXT NOT NULL,
  entries            INTEGER,
  ts_monotonic       INTEGER,
  seq_base           INTEGER,
  started_at         TEXT NOT NULL,
  built_at           TEXT,
  builder            TEXT
) STRICT;
INSERT INTO derived_entry_sets_v4 (id, evidence_id, run_id, state, extractor, entries, ts_monotonic, seq_base, started_at, built_at)
  SELECT id, evidence_id, run_id, state, extractor, entries, ts_monotonic, seq_base, started_at, built_at FROM derived_entry_sets;
DROP TABLE derived_entry_sets;
ALTER TABLE derived_entry_sets_v4 RENAME TO derived_entry_sets;
CREATE UNIQUE INDEX derived_entry_sets_ready ON derived_entry_sets (evidence_id) WHERE state = 'ready';
CREATE UNIQUE INDEX derived_entry_sets_building ON derived_entry_sets (evidence_id) WHERE state = 'building';
`;

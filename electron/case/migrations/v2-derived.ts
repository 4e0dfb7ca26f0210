/** v2: derived data (EntryIndex of each verified bundle, and the per-bundle entry search index). */
export const V2_DERIVED = `
CREATE TABLE derived_tables (
  name         TEXT PRIMARY KEY,
  description  TEXT NOT NULL
) STRICT;
INSERT INTO derived_tables VALUES
  ('derived_block_index', 'offsets and Merkle roots of every 256-entry block of a bundle (EntryIndex); rebuilt by verifying the bundle'),
  ('derived_entry_sets', 'one row per bundle whose entries are indexed for search; see derived_entries_<id> and derived_fts_<id>'),
  ('derived_entries_<id>', 'per-entry fields (seq, time, actor, action, target, byte offset) of one bundle'),
  ('derived_fts_<id>', 'FTS5 full-text index over the event of every entry of one bundle');

CREATE TABLE derived_block_index (
  evidence_id    INTEGER PRIMARY KEY REFERENCES evidence(id),
  run_id         INTEGER REFERENCES runs(id),
  entries_path   TEXT NOT NULL,
  count          INTEGER NOT NULL,
  block_leaves   INTEGER NOT NULL,
  block_offsets  BLOB NOT NULL,    -- float64 little-endian, ceil(count / block_leaves) values
  block_roots    BLOB NOT NULL,    -- 32 bytes per complete block
  built_at       TEXT NOT NULL
) STRICT;

CREATE TABLE derived_entry_sets (
  id                 INTEGER PRIMARY KEY,
  evidence_id        INTEGER NOT NULL UNIQUE REFERENCES evidence(id),
  run_id             INTEGER REFERENCES runs(id),
  state              TEXT NOT NULL CHECK (state IN ('building', 'ready')),
  extractor          TEXT NOT NULL,
  entries            INTEGER,
  ts_monotonic       INTEGER,      -- 1 when every ts parsed and none went backwards
  seq_base           INTEGER,      -- s when every entry i has seq = s + i; NULL otherwise
  started_at         TEXT NOT NULL,
  built_at           TEXT
) STRICT;
`;

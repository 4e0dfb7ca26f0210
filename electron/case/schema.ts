/**
 * The case file schema, as an ordered list of forward migrations. `PRAGMA user_version` holds
 * the number of migrations applied; opening a case applies the missing ones, each in its own
 * transaction (docs/case-file.md §2).
 *
 * Rules kept by every migration:
 * - Records of what happened (case metadata, evidence, trust grants, revocations, findings,
 *   reports, the custody journal) are append-only: triggers refuse UPDATE and DELETE. A run row
 *   may be updated only while its status is 'running' (start, then finish).
 * - Derived data (rebuildable from the evidence) lives in tables whose names start with
 *   `derived_` and is listed in `derived_tables`; it is never evidence and is not journaled
 *   beyond the fact that it was built.
 * - Never edit a released migration: add a new one, one file per migration in migrations/.
 */
import { V1_CASE } from './migrations/v1-case.js';
import { V2_DERIVED } from './migrations/v2-derived.js';
import { V3_KEY_ROLES } from './migrations/v3-key-roles.js';
import { V4_ENTRY_SET_SWAP } from './migrations/v4-entry-set-swap.js';

/** "PRFD": marks a SQLite file as a Proofdesk case (PRAGMA application_id). */
export const CASE_APPLICATION_ID = 0x50524644;

export const MIGRATIONS: readonly string[] = [V1_CASE, V2_DERIVED, V3_KEY_ROLES, V4_ENTRY_SET_SWAP];

/** The schema version this build writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

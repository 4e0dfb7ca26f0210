/**
 * Step 3 of `case verify`: the evidence locker. Every item on disk (evidence-item.ts), nothing
 * extra in the locker, and the leftovers of interrupted imports and exports.
 */
import { existsSync, readdirSync } from 'node:fs';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import type { CaseFile } from '../case-file.js';
import {
  assertLockerLayout,
  deadStaging,
  type EvidenceRecord,
  interruptedCopies,
  unrecordedCopies,
} from '../evidence.js';
import { EVIDENCE_DIR, STAGING_DIR } from '../layout.js';
import { checkEvidenceOnDisk } from './evidence-item.js';
import type { CaseVerifyOptions } from './model.js';
import type { Problems } from './problems.js';

export interface LockerOutcome {
  /** evidence/ or tmp/ is linked (LOCKER_LINKED): nothing in the case was read through it. */
  readonly linked: boolean;
  readonly files: number;
  readonly bytes: number;
}

export function checkLocker(
  P: Problems,
  cf: CaseFile,
  evidence: readonly EvidenceRecord[],
  opts: CaseVerifyOptions,
): LockerOutcome {
  let files = 0;
  let bytes = 0;
  // A locker linked to another case's holds files with the very digests recorded here: read
  // through the link it would check INTACT. It is reported and not read.
  const linked = checkLockerLayout(P, cf);
  for (const e of linked ? [] : evidence) {
    const r = checkEvidenceOnDisk(P, cf, e, opts);
    files += r.files;
    bytes += r.bytes;
  }
  checkUnrecordedCopies(P, cf, linked);
  checkStaging(P, cf);
  return { linked, files, bytes };
}

/** LOCKER_LINKED for evidence/ or tmp/ that is a link, not a directory, or resolves elsewhere. True when reported. */
function checkLockerLayout(P: Problems, cf: CaseFile): boolean {
  try {
    assertLockerLayout(cf);
    return false;
  } catch (e) {
    if (!(e instanceof ProofdeskError) || e.code !== 'PATH_UNSAFE') throw e;
    P.add('LOCKER_LINKED', { path: EVIDENCE_DIR }, e.message);
    return true;
  }
}

/** Copies in the locker that no evidence row names: leftovers of an interrupted import, or unexpected. */
function checkUnrecordedCopies(P: Problems, cf: CaseFile, lockerLinked: boolean): void {
  // One listing for both questions: an import running beside us can place a copy between two
  // listings, and that copy must not look unlisted in one and unmentioned in the other.
  const unrecorded = lockerLinked ? [] : unrecordedCopies(cf);
  const interrupted = new Set(interruptedCopies(cf, unrecorded));
  for (const n of unrecorded) {
    if (interrupted.has(n))
      P.add(
        'LEFTOVER_UNRECORDED',
        { path: `${EVIDENCE_DIR}/${n}` },
        `${EVIDENCE_DIR}/${n} has no evidence row and no journal row: an import that was interrupted, or one not yet committed`,
      );
    else
      P.add(
        'EVIDENCE_UNEXPECTED_FILE',
        { path: `${EVIDENCE_DIR}/${n}` },
        `${EVIDENCE_DIR}/${n} is in the locker but no evidence row names it`,
      );
  }
}

/** LEFTOVER_STAGING for each staging directory: an interrupted import or export, or one in progress. */
function checkStaging(P: Problems, cf: CaseFile): void {
  const staging = cf.path(STAGING_DIR);
  if (!existsSync(staging)) return;
  const dead = new Set(deadStaging(cf));
  for (const n of readdirSync(staging)) {
    P.add(
      'LEFTOVER_STAGING',
      { path: `${STAGING_DIR}/${n}` },
      `${STAGING_DIR}/${n} is ${dead.has(n) ? `left by an interrupted ${n.startsWith('export-') ? 'export' : 'import'}` : `an ${n.startsWith('export-') ? 'export' : 'import'} in progress or of another machine`}`,
    );
  }
}

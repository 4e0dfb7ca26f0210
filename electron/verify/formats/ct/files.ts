/**
 * The CT evidence files as the steps read them: which file is what, and the record every step
 * adds to (findings, files read and bytes read, each in the order made).
 */
import { parseJsonBytes } from '../../../../shared/encoding/json.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import type { BundleSource } from '../../../platform/bundle-source.js';
import { readIn } from '../common.js';

const MAX_JSON = 4 * 1024 * 1024;

export type CtFormatId = 'ct-sth' | 'ct-log';

export interface CtEvidence {
  readonly source: BundleSource;
  /** Shared by every step, so the findings keep the order in which the steps find them. */
  readonly findings: Finding[];
  readonly files: BundleFileReport[];
  bytesRead: number;
}

export function ctEvidence(source: BundleSource): CtEvidence {
  return { source, findings: [], files: [], bytesRead: 0 };
}

export interface CtPaths {
  readonly sth: readonly string[];
  readonly consistency: readonly string[];
  readonly inclusion: readonly string[];
}

/** Sorts the input's files by kind; a `ct-sth` input is one tree head. Anything else is reported and ignored. */
export function sortCtPaths(ev: CtEvidence, paths: readonly string[], id: CtFormatId): CtPaths {
  const isSth = (p: string) => id === 'ct-sth' || /(^|\/)([A-Za-z0-9._-]+\.)?sth\.json$/.test(p);
  const sth = paths.filter(isSth);
  const consistency = id === 'ct-log' ? paths.filter((p) => p.endsWith('.consistency.json')) : [];
  const inclusion = id === 'ct-log' ? paths.filter((p) => p.endsWith('.inclusion.json')) : [];
  for (const p of paths)
    if (!isSth(p) && !consistency.includes(p) && !inclusion.includes(p))
      ev.findings.push(
        finding('FILE_UNLISTED', { file: p }, `${p} is not a tree head or proof file of the CT layout; ignored`),
      );
  return { sth, consistency, inclusion };
}

/** The file's JSON, or undefined with a finding when it cannot be read or parsed. */
export function readJson(ev: CtEvidence, p: string, role: BundleFileReport['role']): unknown {
  // A proof file that cannot be read is a malformed proof; any other document is invalid.
  const bad = role === 'proof' ? 'PROOF_MALFORMED' : 'DOCUMENT_INVALID';
  const r = readIn(ev.source, p, MAX_JSON, role);
  if (r.kind !== 'ok') {
    ev.findings.push(
      finding(
        r.kind === 'unsafe' ? 'PATH_UNSAFE' : bad,
        { file: p },
        r.kind === 'unsafe' ? r.detail : r.kind === 'too-large' ? `${r.size} bytes: too large` : 'not found',
      ),
    );
    return undefined;
  }
  ev.files.push(r.report);
  ev.bytesRead += r.bytes.length;
  const j = parseJsonBytes(r.bytes);
  if (!j.ok) {
    ev.findings.push(finding(bad, { file: p, path: j.problem.path }, j.problem.message));
    return undefined;
  }
  return j.value;
}

/**
 * Compares an attested VerificationResult with the result of verifying the same evidence again.
 *
 * What is compared is what the verification judged: verdict, bundle identity, rules,
 * parameters, checks, coverage, checkpoints, proofs, evidence time and findings (code,
 * severity, location, evidence). Not compared: names that depend on how the files were handed
 * over (the bundle's directory name, key labels), finding message wording, and the tool version
 * (a different version that reaches the same judgement agrees). File digests are compared by
 * the caller, which reports them as input mismatches.
 */

import { canonicalJson } from '../encoding/jcs.js';
import type { Finding } from '../verdict/findings.js';
import type { VerificationResult } from '../verdict/result.js';

export interface ResultDifference {
  /** JSON path in the result, e.g. "$.findings[3]" or "$.coverage". */
  readonly path: string;
  /** Canonical JSON of the attested and the re-run value (cut to 300 characters). */
  readonly attested: string;
  readonly rerun: string;
}

const MAX_SHOWN = 300;

function cut(s: string): string {
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

function judged(f: Finding): unknown {
  return { code: f.code, severity: f.severity, location: f.location, evidence: f.evidence ?? null };
}

function compareLists(
  path: string,
  a: readonly unknown[],
  b: readonly unknown[],
  out: ResultDifference[],
  limit: number,
): void {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n && out.length < limit; i++) {
    const x = i < a.length ? canonicalJson(a[i]) : '(absent)';
    const y = i < b.length ? canonicalJson(b[i]) : '(absent)';
    if (x !== y) out.push({ path: `${path}[${i}]`, attested: cut(x), rerun: cut(y) });
  }
}

/** Lists up to `limit` differences between what was attested and what the re-run found; empty means they agree. */
export function compareVerificationResults(
  attested: VerificationResult,
  rerun: VerificationResult,
  limit = 50,
): ResultDifference[] {
  const out: ResultDifference[] = [];
  const one = (path: string, a: unknown, b: unknown) => {
    if (out.length >= limit) return;
    const x = canonicalJson(a);
    const y = canonicalJson(b);
    if (x !== y) out.push({ path, attested: cut(x), rerun: cut(y) });
  };
  one('$.verdict', attested.verdict, rerun.verdict);
  const bundle = (r: VerificationResult) => ({
    container: r.bundle.container,
    origin: r.bundle.origin,
    formatVersion: r.bundle.formatVersion,
    entryCount: r.bundle.entryCount,
    entriesBytes: r.bundle.entriesBytes,
  });
  one('$.bundle', bundle(attested), bundle(rerun));
  one('$.rules', attested.rules, rerun.rules);
  one('$.parameters', attested.parameters, rerun.parameters);
  one('$.coverage', attested.coverage, rerun.coverage);
  one('$.evidenceTime', attested.evidenceTime, rerun.evidenceTime);
  compareLists('$.checks', attested.checks, rerun.checks, out, limit);
  compareLists('$.checkpoints', attested.checkpoints, rerun.checkpoints, out, limit);
  compareLists('$.proofs', attested.proofs, rerun.proofs, out, limit);
  compareLists('$.findings', attested.findings.map(judged), rerun.findings.map(judged), out, limit);
  one('$.findingsOmitted', attested.findingsOmitted, rerun.findingsOmitted);
  return out;
}

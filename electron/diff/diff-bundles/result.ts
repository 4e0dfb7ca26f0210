/** The diff result: the facts found, then the headline and diagnosis drawn from them. */
import { diffDiagnosis } from '../../../shared/diff/diagnosis.js';
import type { Judgement } from '../../../shared/diff/judge.js';
import {
  type ConsistencyEvidence,
  DIFF_SCHEMA,
  type DiffResult,
  type DiffSide,
  type MisbehaviourEvidence,
  type Side,
} from '../../../shared/diff/model.js';
import { compareFindings, type Finding } from '../../../shared/verdict/findings.js';
import { TOOL_VERSION } from '../../platform/version.js';
import type { EntriesAround } from './entries-around.js';
import type { Sides } from './sides.js';

export interface DiffFacts {
  readonly sides: Sides;
  readonly counts: Record<Side, number>;
  /** Entries compared: the shorter export's count. */
  readonly compared: number;
  readonly comparisons: number;
  /** The first divergent entry, if any. */
  readonly k: number | undefined;
  readonly judgement: Judgement;
  /** The judge's findings and the divergence's; sorted here. */
  readonly findings: Finding[];
  readonly around: EntriesAround | undefined;
  readonly consistency: ConsistencyEvidence | undefined;
  readonly misbehaviour: MisbehaviourEvidence | undefined;
}

export function diffResult(f: DiffFacts): DiffResult {
  const { sides, k, judgement: j, around, consistency, misbehaviour } = f;
  const facts: Omit<DiffResult, 'headline' | 'diagnosis'> = {
    schema: DIFF_SCHEMA,
    verdict: j.verdict,
    tool: { name: 'proofdesk', version: TOOL_VERSION },
    origin: sides.A.origin ?? '',
    a: diffSide(sides, f.counts, 'A'),
    b: diffSide(sides, f.counts, 'B'),
    commonPrefix: k ?? f.compared,
    search: { compared: f.compared, comparisons: f.comparisons },
    ...(around ? { divergence: around.divergence } : {}),
    ...(j.rewritten ? { rewritten: j.rewritten } : {}),
    ...(j.extension ? { extension: j.extension } : {}),
    truncation: j.truncation,
    checkpoints: j.relations,
    forks: j.forks,
    forksOmitted: j.forksOmitted,
    ...(consistency ? { consistency } : {}),
    ...(misbehaviour ? { misbehaviour } : {}),
    ...(around ? { entryDiff: around.entryDiff } : {}),
    findings: f.findings.sort(compareFindings),
  };
  const { headline, diagnosis } = diffDiagnosis(facts);
  const { schema, verdict, ...rest } = facts;
  // The headline and diagnosis right after the verdict, as in a verification result.
  return { schema, verdict, headline, diagnosis, ...rest };
}

function diffSide(sides: Sides, counts: Record<Side, number>, s: Side): DiffSide {
  const r = sides[s].run!.result;
  const entriesFile = r.bundle.files.find((f) => f.role === 'entries');
  return {
    name: r.bundle.name,
    container: r.bundle.container,
    entryCount: counts[s],
    ...(entriesFile ? { entriesSha256: entriesFile.sha256 } : {}),
    verification: r,
  };
}

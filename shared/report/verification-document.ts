/**
 * What the verification report PDF shows, built from a verified statement (pure, deterministic).
 *
 * Order: verdict first (banner), then case and examiner, the findings summary by code and the
 * per-check results, then the findings themselves, coverage, checkpoints, inputs with their
 * SHA-256, trusted keys, times, method, and how to check the report. Long lists are bounded so
 * the PDF stays readable and small (docs/report-format.md §6): the complete list is in the
 * attached findings.csv and in the attestation itself.
 */
import { treeDigest } from '../bundle/tree-digest.js';
import { assertNever } from '../encoding/assert.js';
import { utf8 } from '../encoding/bytes.js';
import { CAUSE_LABELS, CHECK_LABELS, CHECK_STATUS_LABELS, COVERAGE_REASON_LABELS } from '../present/labels.js';
import { scopeOf } from '../present/scope.js';
import { entrySpan, num, seqSpan } from '../present/words.js';
import type { Cause } from '../verdict/cause.js';
import { FINDING_CODES, type Finding, type Severity } from '../verdict/findings.js';
import type {
  CheckpointReport,
  CoverageRange,
  CoverageReason,
  ProofReport,
  SignatureReport,
  Verdict,
  VerificationResult,
} from '../verdict/result.js';
import type { TimelineSummary } from '../verdict/timeline.js';
import type { Attachment, Block, Cell, FindingItem, ReportDocument, Tone } from './document.js';
import { unixToRfc3339, type VerificationStatement } from './predicate.js';
import { csvRow, evidencePairs, formatLocation, formatUtc, groupThousands, plural } from './text.js';

/** Findings printed in full; the rest are summarised by code and listed in the attachments. */
export const MAX_FINDINGS_PRINTED = 150;
const MAX_RANGES_PRINTED = 60;
const MAX_CHECKPOINTS_PRINTED = 60;
const MAX_INPUTS_PRINTED = 400;
const MAX_PROOFS_PRINTED = 60;

export const ATTESTATION_ATTACHMENT = 'attestation.dsse.json';
const FINDINGS_ATTACHMENT = 'findings.csv';

const VERDICT_TONE: Record<Verdict, Tone> = { PASS: 'pass', FAIL: 'fail', INCONCLUSIVE: 'warn' };
const SEVERITY_TONE: Record<Severity, Tone> = { error: 'fail', warning: 'warn', info: 'info' };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function meaning(code: string): string {
  return Object.hasOwn(FINDING_CODES, code)
    ? FINDING_CODES[code as keyof typeof FINDING_CODES][1]
    : '(code not known to this version of Proofdesk)';
}

function headline(s: VerificationStatement): string {
  const r = s.predicate.result;
  // Results since v2 carry their headline; a v1 result (an older report) gets the sentence it had.
  if (typeof (r as { headline?: unknown }).headline === 'string') return r.headline;
  const errors =
    r.findings.filter((f) => f.severity === 'error').length +
    Object.values(r.findingsOmitted).reduce((a, b) => a + (b ?? 0), 0);
  switch (r.verdict) {
    case 'PASS':
      return `All ${plural(r.bundle.entryCount, 'entry', 'entries')} are verified against trusted signed checkpoints. No problem was found.`;
    case 'FAIL':
      return `Evidence problems found: ${plural(errors, 'error')}. ${groupThousands(r.coverage.failed)} of ${plural(r.bundle.entryCount, 'entry', 'entries')} failed verification.`;
    case 'INCONCLUSIVE':
      return `No problem was found, but ${groupThousands(r.coverage.unverifiable)} of ${plural(r.bundle.entryCount, 'entry', 'entries')} are not covered by a trusted signed checkpoint and cannot be verified.`;
    default:
      return assertNever(r.verdict, 'verdict');
  }
}

/** The one digest that names the evidence: the archive's SHA-256, or the tree digest of a directory's files read. */
export function evidenceDigest(p: VerificationStatement['predicate']): {
  readonly label: string;
  readonly value: string;
} {
  const archive = p.inputs.find((i) => i.role === 'archive');
  if (archive) return { label: 'SHA-256 of the archive', value: archive.sha256 };
  // The bundle's own relative paths (not the subject names, which carry the folder's name), so
  // the value is the one the case locker names the folder by and its journal records.
  const files = p.result.bundle.files.map((f) => ({ path: f.path, size: f.size, digest: f.sha256 }));
  return { label: 'tree digest of the files read (proofdesk-tree-v1)', value: treeDigest(files) };
}

/** Where a cause is, in a few words. */
function causePlace(c: Cause): string {
  const parts: string[] = [];
  if (c.entries)
    parts.push(
      c.entries.from === c.entries.to ? `before entry ${num(c.entries.from)}` : entrySpan(c.entries.from, c.entries.to),
    );
  if (c.seq) parts.push(seqSpan(c.seq.from, c.seq.to));
  if (!parts.length && c.checkpoints?.length)
    parts.push(
      c.checkpoints.length === 1
        ? `checkpoint ${c.checkpoints[0]?.size ?? ''}`.trim()
        : `${c.checkpoints.length} checkpoints`,
    );
  return parts.join(', ') || '—';
}

const CAUSE_TONE: Record<Severity, Tone> = { error: 'fail', warning: 'warn', info: 'info' };
const MAX_CAUSES_FIRST_PAGE = 8;

/** What still stands, one line per coverage reason that has entries. */
function standing(r: VerificationResult): string[] {
  const n = r.bundle.entryCount;
  const byReason = new Map<CoverageReason, number>();
  for (const g of r.coverage.ranges) byReason.set(g.reason, (byReason.get(g.reason) ?? 0) + (g.to - g.from));
  return [...byReason.entries()].map(([reason, k]) => `${num(k)} of ${num(n)}: ${COVERAGE_REASON_LABELS[reason]}`);
}

/**
 * Page 1: the verdict and the headline, what the evidence shows (the diagnosis), what still
 * stands, the evidence by its digest, the trusted keys used and the scope of the checks — what
 * goes into the examiner's own report. Everything after it is detail.
 */
function firstPage(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const digest = evidenceDigest(p);
  const diagnosis = (r as { diagnosis?: readonly Cause[] }).diagnosis ?? [];
  const blocks: Block[] = [
    {
      kind: 'banner',
      tone: VERDICT_TONE[r.verdict],
      label: r.verdict,
      headline: headline(statement),
      lines: [
        `Evidence: ${r.bundle.name} (${r.bundle.container}), origin ${r.bundle.origin}, ${plural(r.bundle.entryCount, 'entry', 'entries')}`,
        `Evidence digest, ${digest.label}: ${digest.value}`,
      ],
    },
  ];
  if (diagnosis.length) {
    blocks.push({ kind: 'heading', text: 'What the evidence shows' });
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Cause', width: 0.24 },
        { title: 'Where', width: 0.2 },
        { title: 'Explanation', width: 0.56 },
      ],
      rows: diagnosis.slice(0, MAX_CAUSES_FIRST_PAGE).map((c): Cell[] => [
        {
          runs: [
            { text: CAUSE_LABELS[c.cause], tone: CAUSE_TONE[c.severity], bold: true },
            { text: c.cause, muted: true },
          ],
        },
        causePlace(c),
        c.text,
      ]),
    });
    blocks.push(...moreInAttachment(diagnosis.length, MAX_CAUSES_FIRST_PAGE, 'more cause'));
  }
  if (p.timeline) blocks.push(...timelineBlocks(p.timeline));
  blocks.push({ kind: 'heading', text: 'What still stands' });
  blocks.push({ kind: 'paragraph', text: standing(r).join('; ') || 'The export holds no entries.' });
  blocks.push({ kind: 'heading', text: 'Keys trusted for this verification' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Role', width: 0.14 },
      { title: 'Name', width: 0.3 },
      { title: 'Fingerprint (SHA-256 of the SubjectPublicKeyInfo)', width: 0.56, mono: true },
    ],
    rows: r.trustedKeys.map((k): Cell[] => [
      k.roles?.join(', ') ?? '',
      k.name ?? k.label ?? '',
      { text: k.fingerprint, mono: true },
    ]),
    empty: 'No key was trusted.',
  });
  const scope = scopeOf(r);
  blocks.push({ kind: 'heading', text: 'Scope' });
  blocks.push({ kind: 'paragraph', text: `Checked: ${scope.checked.join('; ')}.` });
  blocks.push({ kind: 'paragraph', muted: true, text: `Not checked: ${scope.notChecked.join('; ')}.` });
  return blocks;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A bar boundary as a label: the part of the UTC time that changes at this width. */
function tickText(ms: number, widthMs: number): string {
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  if (widthMs >= 86_400_000) return day;
  if (widthMs >= 60_000) return `${day.slice(5)} ${hm}`;
  return `${hm}:${pad2(d.getUTCSeconds())}`;
}

/** A span of time in words, at most two units: 2 h 5 min, 40 s, 1 d 3 h. */
function spanText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [u, name] of [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ] as const) {
    const k = Math.floor(s / u);
    if (k > 0) {
      parts.push(`${k} ${name}`);
      s -= k * u;
    }
  }
  return parts.slice(0, 2).join(' ');
}

const isoMs = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Entries over time (the same picture the app draws), and the silences in words. */
function timelineBlocks(t: TimelineSummary): Block[] {
  const n = t.bars.length;
  const every = Math.max(1, Math.ceil(n / 6));
  const ticks: Array<readonly [number, string]> = [];
  for (let k = 0; k < n; k += every) ticks.push([k, tickText(t.from + k * t.bucketMs, t.bucketMs * every)]);
  const shown = t.silences.slice(0, 5);
  const silenceText = t.silences.length
    ? `${plural(t.silences.length, 'silent period')} (no entry for at least ${spanText(t.silenceMs)}, where the usual gap is ${spanText(t.typicalGapMs)}): ${shown
        .map((s) => `${spanText(s.t1 - s.t0)} from ${isoMs(s.t0)} to ${isoMs(s.t1)}, after entry ${num(s.fromIndex)}`)
        .join('; ')}${t.silences.length > shown.length ? '; …' : ''}.`
    : `No silent period: no gap of ${spanText(t.silenceMs)} or more without an entry (the usual gap is ${spanText(t.typicalGapMs)}).`;
  return [
    { kind: 'heading', text: 'Entries over time' },
    {
      kind: 'timeline',
      from: t.from,
      bucketMs: t.bucketMs,
      bars: t.bars,
      silences: t.silences.map((s) => [s.t0, s.t1] as const),
      ticks,
    },
    {
      kind: 'paragraph',
      muted: true,
      text: `Bars of ${spanText(t.bucketMs)} from ${isoMs(t.from)} (UTC), by the entries' own times: verified, failed, no longer proven (hatched), unverifiable.${t.withoutTime ? ` ${plural(t.withoutTime, 'entry', 'entries')} without a readable time are not drawn.` : ''}`,
    },
    { kind: 'paragraph', text: silenceText },
  ];
}

function sigText(s: SignatureReport): string {
  const t = s.time !== undefined ? `, cosigned ${formatUtc(unixToRfc3339(s.time))}` : '';
  return `${s.kind === 'cosignature' ? 'witness' : s.kind === 'log' ? 'log key' : 'unknown key'} ${s.name} (key ID ${s.keyId}): ${s.status}${t}`;
}

function checkpointTone(c: CheckpointReport): Tone {
  if (c.status === 'trusted' && c.rootStatus === 'match') return 'pass';
  if (
    c.status === 'rejected' ||
    c.status === 'malformed' ||
    c.rootStatus === 'mismatch' ||
    c.rootStatus === 'beyond-entries'
  )
    return 'fail';
  return 'warn';
}

function rangeTone(r: CoverageRange): Tone {
  return r.status === 'verified' ? 'pass' : r.status === 'failed' ? 'fail' : 'warn';
}

function findingItem(f: Finding): FindingItem {
  return {
    tone: SEVERITY_TONE[f.severity],
    severity: f.severity.toUpperCase(),
    code: f.code,
    location: formatLocation(f.location),
    message: f.message,
    evidence: evidencePairs(f),
  };
}

/** The complete findings list as CSV (RFC 4180, CRLF), one row per listed finding, in result order. */
export function findingsCsv(findings: readonly Finding[]): Uint8Array {
  let out = csvRow([
    'index',
    'severity',
    'code',
    'file',
    'entry',
    'offset',
    'checkpoint_size',
    'range_from',
    'range_to',
    'json_path',
    'message',
    'evidence',
  ]);
  findings.forEach((f, i) => {
    const l = f.location;
    const n = (x: number | undefined) => (x === undefined ? '' : String(x));
    out += csvRow([
      String(i),
      f.severity,
      f.code,
      l.file ?? '',
      n(l.entry),
      n(l.offset),
      n(l.checkpointSize),
      n(l.range?.[0]),
      n(l.range?.[1]),
      l.path ?? '',
      f.message,
      evidencePairs(f)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    ]);
  });
  return utf8(out);
}

/** Who made the report, when, in which case, with which build. */
function thisReportBlocks(statement: VerificationStatement, reportId: string): Block[] {
  const p = statement.predicate;
  const ex = p.examiner;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'This report' });
  blocks.push({
    kind: 'fields',
    rows: [
      { label: 'Case reference', value: p.caseReference ?? '(none given)' },
      ...(p.case
        ? [
            {
              label: 'Case',
              value: `${p.case.caseId}${p.case.reference !== undefined ? ` (${p.case.reference})` : ''}${p.case.runId !== undefined ? `, run #${p.case.runId}` : ''}`,
            },
            {
              label: 'Custody journal',
              value: `row ${p.case.journalHead.seq}, SHA-256 ${p.case.journalHead.hash}`,
              mono: true,
            },
          ]
        : []),
      { label: 'Examiner', value: ex.organisation ? `${ex.name}, ${ex.organisation}` : ex.name },
      ...(ex.email ? [{ label: 'Examiner e-mail', value: ex.email }] : []),
      { label: 'Examiner key', value: ex.keyFingerprint, mono: true },
      { label: 'Date (UTC)', value: `${formatUtc(p.examinerClock.finishedAt)}, examiner machine clock (not evidence)` },
      { label: 'Report ID', value: reportId, mono: true },
      {
        label: 'Tool',
        value: `Proofdesk ${p.tool.version}, build ${p.tool.build.scope} (${plural(p.tool.build.files, 'file')})`,
      },
      { label: 'Tool build SHA-256', value: p.tool.build.sha256, mono: true },
    ],
  });
  return blocks;
}

/** The report's section: findings by code, checks. */
function summaryBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  const byCode = new Map<string, { severity: Severity; listed: number }>();
  for (const f of r.findings) {
    const e = byCode.get(f.code);
    if (e) e.listed++;
    else byCode.set(f.code, { severity: f.severity, listed: 1 });
  }
  const codeRows = [...byCode.entries()]
    .map(([code, v]) => ({
      code,
      ...v,
      total: v.listed + (r.findingsOmitted[code as keyof typeof r.findingsOmitted] ?? 0),
    }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.code < b.code ? -1 : 1));
  blocks.push({ kind: 'heading', text: 'Findings summary' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Severity', width: 0.12 },
      { title: 'Code', width: 0.27 },
      { title: 'Count', width: 0.09, align: 'right' },
      { title: 'Meaning', width: 0.52 },
    ],
    rows: codeRows.map((c): Cell[] => [
      { text: c.severity.toUpperCase(), tone: SEVERITY_TONE[c.severity], bold: true },
      { text: c.code, bold: true },
      groupThousands(c.total),
      meaning(c.code),
    ]),
    empty: 'No findings.',
  });
  blocks.push({ kind: 'heading', text: 'Checks' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Check', width: 0.25 },
      { title: 'Result', width: 0.15 },
      { title: 'Counts', width: 0.6 },
    ],
    rows: r.checks.map((c): Cell[] => [
      CHECK_LABELS[c.id] ?? c.id,
      {
        text: CHECK_STATUS_LABELS[c.status] ?? c.status,
        tone:
          c.status === 'pass'
            ? 'pass'
            : c.status === 'fail'
              ? 'fail'
              : c.status === 'inconclusive'
                ? 'warn'
                : 'neutral',
        bold: true,
      },
      Object.entries(c.counts)
        .map(([k, v]) => `${k} ${groupThousands(v)}`)
        .join(', '),
    ]),
  });
  return blocks;
}

/** The report's section: findings in detail. */
function findingBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  // The result's own order: findings under their causes, most fundamental first.
  const ordered = r.findings;
  const omittedTotal = Object.values(r.findingsOmitted).reduce((a, b) => a + (b ?? 0), 0);
  blocks.push({ kind: 'heading', text: 'Findings' });
  if (ordered.length === 0) blocks.push({ kind: 'paragraph', text: 'No findings.' });
  else {
    const shown = ordered.slice(0, MAX_FINDINGS_PRINTED);
    const notShown = ordered.length - shown.length;
    blocks.push({
      kind: 'paragraph',
      muted: true,
      text:
        `${plural(ordered.length, 'finding')} listed in the attestation` +
        (omittedTotal
          ? ` (plus ${groupThousands(omittedTotal)} counted but not listed, over the per-code limit of ${groupThousands(r.parameters.findingsPerCode)})`
          : '') +
        (notShown
          ? `; the first ${groupThousands(shown.length)} are printed here, in the order of the causes they show. All ${groupThousands(ordered.length)} are in the attached ${FINDINGS_ATTACHMENT} and ${ATTESTATION_ATTACHMENT}.`
          : '; in the order of the causes they show.'),
    });
    blocks.push({ kind: 'findings', items: shown.map(findingItem) });
    if (notShown)
      blocks.push({
        kind: 'paragraph',
        muted: true,
        text: `… ${plural(notShown, 'more finding')} not printed: see ${FINDINGS_ATTACHMENT}.`,
      });
  }
  return blocks;
}

/** The report's section: coverage. */
function coverageBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'Coverage' });
  blocks.push({
    kind: 'paragraph',
    muted: true,
    text: 'Each entry is verified (under a trusted checkpoint whose root matches, with no error of its own), failed (the evidence shows that entry changed, inserted or moved, or breaking the entry rules), or unverifiable (no longer proven because the signed root over it no longer matches, not covered by a trusted checkpoint, or signed by a key the evidence does not show valid or trusted). Ranges are [first..last].',
  });
  const ranges = r.coverage.ranges;
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Entries', width: 0.3 },
      { title: 'Count', width: 0.14, align: 'right' },
      { title: 'Status', width: 0.18 },
      { title: 'Reason', width: 0.38 },
    ],
    rows: ranges
      .slice(0, MAX_RANGES_PRINTED)
      .map((g): Cell[] => [
        `${g.from}..${g.to - 1}`,
        groupThousands(g.to - g.from),
        { text: g.status, tone: rangeTone(g), bold: true },
        COVERAGE_REASON_LABELS[g.reason] ?? g.reason,
      ]),
    empty: 'The bundle holds no entries.',
  });
  blocks.push(...moreInAttachment(ranges.length, MAX_RANGES_PRINTED, 'more range'));
  return blocks;
}

/** The line under a list cut at `shown` items: how many more, and that the attachment has them all. */
function moreInAttachment(total: number, shown: number, noun: string, aside = ''): Block[] {
  if (total <= shown) return [];
  return [
    { kind: 'paragraph', muted: true, text: `… ${plural(total - shown, noun)}${aside} in ${ATTESTATION_ATTACHMENT}.` },
  ];
}

/** A checkpoint's row: its size and file, status and root status, signed vs computed root and each signature. */
function checkpointRow(c: CheckpointReport): Cell[] {
  return [
    {
      runs: [
        { text: c.size !== undefined ? `size ${groupThousands(c.size)}` : 'size ?', bold: true },
        { text: c.file, muted: true },
      ],
    },
    {
      runs: [
        { text: c.status, tone: checkpointTone(c), bold: true },
        { text: `root ${c.rootStatus}`, tone: checkpointTone(c) },
      ],
    },
    {
      runs: [
        { text: `signed   ${c.rootHash ?? '(none)'}`, mono: true },
        {
          text: `computed ${c.computedRoot === undefined ? '(not recomputed)' : c.computedRoot}`,
          mono: true,
          ...(c.computedRoot !== undefined && c.computedRoot !== c.rootHash ? { tone: 'fail' as const } : {}),
        },
        ...c.signatures.map((x) => ({ text: sigText(x), muted: true })),
      ],
    },
  ];
}

/** The report's proofs sub-section (heading, table, and a pointer to the rest), for a non-empty list. */
function proofBlocks(proofs: readonly ProofReport[]): Block[] {
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'Proofs' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Proof file', width: 0.46 },
      { title: 'Kind', width: 0.16 },
      { title: 'Status', width: 0.14 },
      { title: 'Sizes', width: 0.24 },
    ],
    rows: proofs
      .slice(0, MAX_PROOFS_PRINTED)
      .map((x): Cell[] => [
        x.file,
        x.kind,
        { text: x.status, tone: x.status === 'verified' ? 'pass' : 'fail', bold: true },
        x.kind === 'inclusion'
          ? `index ${x.index ?? '?'} in ${x.size ?? '?'}`
          : x.kind === 'consistency'
            ? `${x.size1 ?? '?'} → ${x.size2 ?? '?'}`
            : '',
      ]),
  });
  blocks.push(...moreInAttachment(proofs.length, MAX_PROOFS_PRINTED, 'more proof'));
  return blocks;
}

/** The report's section: checkpoints. */
function checkpointBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'Checkpoints' });
  const cps = [...r.checkpoints]
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(checkpointTone(a.c) === 'pass') - Number(checkpointTone(b.c) === 'pass') || a.i - b.i);
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Checkpoint', width: 0.3 },
      { title: 'Status', width: 0.14 },
      { title: 'Roots and signatures', width: 0.56 },
    ],
    rows: cps.slice(0, MAX_CHECKPOINTS_PRINTED).map(({ c }) => checkpointRow(c)),
    empty: 'The bundle holds no checkpoint.',
  });
  blocks.push(
    ...moreInAttachment(cps.length, MAX_CHECKPOINTS_PRINTED, 'more checkpoint', ' (all with matching roots)'),
  );

  if (r.proofs.length) blocks.push(...proofBlocks(r.proofs));
  return blocks;
}

/** The report's section: inputs and keys. */
function inputBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'Inputs' });
  blocks.push({
    kind: 'paragraph',
    muted: true,
    text: 'Every file read, with the SHA-256 of the bytes read. These are the subjects of the signed attestation.',
  });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'File', width: 0.31 },
      { title: 'Role', width: 0.12 },
      { title: 'Bytes', width: 0.1, align: 'right' },
      { title: 'SHA-256', width: 0.47, mono: true },
    ],
    rows: p.inputs
      .slice(0, MAX_INPUTS_PRINTED)
      .map((i): Cell[] => [i.name, i.role, groupThousands(i.size), { text: i.sha256, mono: true }]),
  });
  blocks.push(...moreInAttachment(p.inputs.length, MAX_INPUTS_PRINTED, 'more input'));
  blocks.push({ kind: 'heading', text: 'Trusted keys' });
  blocks.push({
    kind: 'paragraph',
    muted: true,
    text: 'Keys the examiner supplied as trusted, each counted only in its role: a log key signs checkpoints, a witness cosigns them, an entry key signs entries. Keys shipped inside a bundle are never trusted by themselves. Fingerprint: SHA-256 of the DER SubjectPublicKeyInfo.',
  });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Name', width: 0.24 },
      { title: 'Given as', width: 0.19 },
      { title: 'Role', width: 0.1 },
      { title: 'Fingerprint', width: 0.47, mono: true },
    ],
    rows: r.trustedKeys.map((k): Cell[] => [
      k.name ?? '',
      k.label ?? '',
      k.roles?.join(', ') ?? '',
      { text: k.fingerprint, mono: true },
    ]),
  });
  return blocks;
}

/** The report's section: time. */
function timeBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const blocks: Block[] = [];
  const et = p.evidenceTime;
  blocks.push({ kind: 'heading', text: 'Time' });
  blocks.push({
    kind: 'fields',
    rows: [
      { label: 'Run started', value: `${formatUtc(p.examinerClock.startedAt)} (examiner machine clock)` },
      { label: 'Run finished', value: `${formatUtc(p.examinerClock.finishedAt)} (examiner machine clock)` },
      {
        label: 'First entry ts',
        value: et.firstEntryTs !== undefined ? `${et.firstEntryTs} (the log's own claim)` : '(none)',
      },
      {
        label: 'Last entry ts',
        value: et.lastEntryTs !== undefined ? `${et.lastEntryTs} (the log's own claim)` : '(none)',
      },
    ],
  });
  blocks.push({
    kind: 'paragraph',
    muted: true,
    text: "The examiner machine's clock is recorded but is not evidence. Evidence of time comes from trusted witness cosignatures: each proves that its checkpoint, and so the first entries up to its size, existed no later than the cosigned time.",
  });
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Entries', width: 0.4 },
      { title: 'Witness', width: 0.32 },
      { title: 'Existed no later than', width: 0.28 },
    ],
    rows: et.witnessed.slice(0, MAX_CHECKPOINTS_PRINTED).map((w): Cell[] => [
      {
        runs: [
          { text: `0..${w.size - 1}`, bold: true },
          { text: w.file, muted: true },
        ],
      },
      { runs: [{ text: w.witness }, { text: `key ID ${w.keyId}`, muted: true }] },
      formatUtc(w.time),
    ]),
    empty: 'No trusted witness cosignature: the evidence bounds no time.',
  });
  return blocks;
}

/** The report's section: method. */
function methodBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const r = p.result;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'Method' });
  blocks.push({
    kind: 'fields',
    rows: [
      { label: 'Ed25519 rules', value: r.rules.ed25519 },
      { label: 'Merkle tree', value: r.rules.merkle },
      { label: 'Hash chain', value: r.rules.chain },
      { label: 'Checkpoints', value: r.rules.checkpoint },
      {
        label: 'Parameters',
        value: `max entry ${groupThousands(r.parameters.maxEntryBytes)} bytes, ${groupThousands(r.parameters.findingsPerCode)} findings listed per code, cross-check ${r.parameters.crossCheck ? 'on' : 'off'}`,
      },
      { label: 'Policy', value: p.policy.uri },
      { label: 'Policy SHA-256', value: p.policy.digest.sha256, mono: true },
      {
        label: 'Verifier',
        value: `${p.verifier.id} (${Object.entries(p.verifier.version)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
      },
      { label: 'Resource', value: p.resourceUri },
      { label: 'Predicate type', value: statement.predicateType },
    ],
  });
  return blocks;
}

/** The report's section: how to check. */
function howToCheckBlocks(statement: VerificationStatement): Block[] {
  const p = statement.predicate;
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', text: 'How to check this report' });
  blocks.push({
    kind: 'paragraph',
    text: `This PDF is rendered deterministically from the signed attestation attached to it as ${ATTESTATION_ATTACHMENT} (a DSSE envelope holding an in-toto Statement v1, signed with the examiner's Ed25519 key). report.pdf.sig is an Ed25519 signature of the PDF file by the same key. With the examiner's public key in PEM (examiner.pub):`,
  });
  blocks.push({
    kind: 'paragraph',
    mono: true,
    text: 'openssl pkeyutl -verify -pubin -inkey examiner.pub -rawin -in report.pdf -sigfile report.pdf.sig',
  });
  blocks.push({
    kind: 'paragraph',
    text: 'Proofdesk checks both signatures, re-renders the PDF from the attestation and compares the bytes, and with --rerun verifies the evidence again:',
  });
  blocks.push({
    kind: 'paragraph',
    mono: true,
    text: 'proofdesk report verify report.pdf --key examiner.pub --rerun <bundle> --trust <key>…',
  });
  if (p.case) {
    blocks.push({
      kind: 'paragraph',
      text: `This report was signed inside a case whose custody journal then ended at row ${p.case.journalHead.seq} with the hash above. That row must still have that hash: a journal changed or rewritten up to it afterwards no longer does. With the case folder:`,
    });
    blocks.push({
      kind: 'paragraph',
      mono: true,
      text: `proofdesk report verify report.pdf --key examiner.pub --case <case folder>`,
    });
  }
  return blocks;
}

/**
 * Builds the printed verification report.
 * Requires: `statement` passed checkVerificationStatement; `envelopeBytes` is the serialized
 * signed envelope holding it; `reportId` is the hex SHA-256 of the envelope's payload.
 */
export function verificationReportDocument(
  statement: VerificationStatement,
  envelopeBytes: Uint8Array,
  reportId: string,
): ReportDocument {
  const p = statement.predicate;
  const r = p.result;
  const ex = p.examiner;
  const blocks: Block[] = [
    ...firstPage(statement),
    ...thisReportBlocks(statement, reportId),
    ...summaryBlocks(statement),
    ...findingBlocks(statement),
    ...coverageBlocks(statement),
    ...checkpointBlocks(statement),
    ...inputBlocks(statement),
    ...timeBlocks(statement),
    ...methodBlocks(statement),
    ...howToCheckBlocks(statement),
  ];
  const attachments: Attachment[] = [
    {
      name: ATTESTATION_ATTACHMENT,
      mime: 'application/json',
      description: 'Signed attestation: DSSE envelope with an in-toto Statement v1',
      bytes: envelopeBytes,
    },
    {
      name: FINDINGS_ATTACHMENT,
      mime: 'text/csv',
      description: 'Every listed finding (RFC 4180 CSV)',
      bytes: findingsCsv(r.findings),
    },
  ];
  return {
    title: 'Verification report',
    reportId,
    footer: `Proofdesk verification report${p.caseReference ? ` · case ${p.caseReference}` : ''} · ${r.verdict}`,
    created: p.examinerClock.finishedAt,
    author: ex.organisation ? `${ex.name}, ${ex.organisation}` : ex.name,
    subject: `Verification of ${r.bundle.name} (origin ${r.bundle.origin}): ${r.verdict}`,
    keywords: `proofdesk, audit log, verification, ${r.verdict}`,
    creator: `Proofdesk ${p.tool.version}`,
    blocks,
    attachments,
  };
}

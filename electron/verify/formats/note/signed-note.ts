/**
 * A single signed-note file, judged by its shape: a signed checkpoint, an unsigned checkpoint
 * body, something shaped like a checkpoint but malformed, or a plain signed note.
 */
import { ECDSA_P256_RULESET } from '../../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../../shared/crypto/ed25519.js';
import { tryDecodeUtf8 } from '../../../../shared/encoding/bytes.js';
import { applyKeyValidity, windowsOf } from '../../../../shared/keys/validity.js';
import { type CheckpointParseResult, parseCheckpointBody } from '../../../../shared/tlog/checkpoint.js';
import {
  type NoteFailure,
  type NoteParseReason,
  type NoteParseResult,
  parseNote,
} from '../../../../shared/tlog/note.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { buildFormatResult, checkSummary } from '../../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport, VerificationResult } from '../../../../shared/verdict/result.js';
import { TOOL_VERSION } from '../../../platform/version.js';
import type { AdapterOptions, SignaturePaths } from '../common.js';
import { trustReports } from '../trust.js';
import { judgeTrustedCheckpoint } from './inputs.js';
import { judgePlainNote } from './plain-note.js';

type CheckpointBodyParsed = CheckpointParseResult & { readonly ok: true };
type CheckpointBodyFailure = CheckpointParseResult & { readonly ok: false };

export interface JudgedNoteFile {
  readonly report: CheckpointReport;
  readonly findings: Finding[];
  readonly origin: string;
  readonly layout: string;
}

/** Shaped like a checkpoint: an origin line, then a decimal size. */
const CHECKPOINT_SHAPE = /^[^\n]*\n(0|[1-9][0-9]*)\n/;

export function judgeNoteFile(file: string, bytes: Uint8Array, a: AdapterOptions, sig: SignaturePaths): JudgedNoteFile {
  const note = parseNote(bytes);
  const text = note.ok ? note.text : tryDecodeUtf8(bytes);
  const body = text !== undefined ? parseCheckpointBody(text) : undefined;
  const origin = body?.ok ? (a.origin ?? body.origin) : (a.origin ?? '');
  const layout = body?.ok ? (note.ok ? 'checkpoint note' : 'unsigned checkpoint body') : 'signed note';
  return { ...judgeByShape(file, bytes, a, sig, note, body, origin), origin, layout };
}

function judgeByShape(
  file: string,
  bytes: Uint8Array,
  a: AdapterOptions,
  sig: SignaturePaths,
  note: NoteParseResult,
  body: CheckpointParseResult | undefined,
  origin: string,
): { report: CheckpointReport; findings: Finding[] } {
  if (note.ok && body?.ok) {
    const j = judgeTrustedCheckpoint(file, bytes, a, sig, origin);
    return { report: j.report, findings: [...j.findings] };
  }
  if (!note.ok && body?.ok) return unsignedBody(file, body, note, origin);
  if (note.ok && body && !body.ok && CHECKPOINT_SHAPE.test(note.text))
    return malformed(
      file,
      finding('CHECKPOINT_MALFORMED', { file }, `not a valid tlog-checkpoint body: ${body.detail}`, {
        reason: body.reason,
      }),
    );
  if (!note.ok && body && !body.ok) return malformed(file, neitherNoteNorBody(file, note, body));
  const j = applyKeyValidity(judgePlainNote(file, bytes, a, sig.ed25519), { windows: windowsOf(a.trust.ed25519) });
  return { report: j.report, findings: [...j.findings] };
}

/** A checkpoint body with no signature block: it parses, but nothing vouches for it. */
function unsignedBody(
  file: string,
  body: CheckpointBodyParsed,
  note: NoteFailure<NoteParseReason>,
  origin: string,
): { report: CheckpointReport; findings: Finding[] } {
  const report: CheckpointReport = {
    file,
    origin: body.origin,
    size: body.size,
    rootHash: Buffer.from(body.rootHash).toString('hex'),
    status: 'untrusted',
    rootStatus: 'not-checked',
    signatures: [],
  };
  const findings: Finding[] = [];
  if (body.origin !== origin)
    findings.push(
      finding(
        'CHECKPOINT_ORIGIN_MISMATCH',
        { file, checkpointSize: body.size },
        `checkpoint origin ${JSON.stringify(body.origin)} is not ${JSON.stringify(origin)}`,
        { expected: origin, actual: body.origin },
      ),
    );
  findings.push(
    finding(
      'KEY_UNTRUSTED',
      { file, checkpointSize: body.size },
      `the checkpoint body is not signed (${note.reason})`,
      {
        reason: note.reason,
      },
    ),
  );
  return { report, findings };
}

function neitherNoteNorBody(file: string, note: NoteFailure<NoteParseReason>, body: CheckpointBodyFailure): Finding {
  return finding(
    'CHECKPOINT_MALFORMED',
    { file },
    `neither a signed note (${note.reason}) nor a checkpoint body (${body.reason})`,
    { reason: body.reason, noteReason: note.reason },
  );
}

function malformed(file: string, f: Finding): { report: CheckpointReport; findings: Finding[] } {
  return { report: { file, status: 'malformed', rootStatus: 'not-checked', signatures: [] }, findings: [f] };
}

export function signedNoteResult(
  a: AdapterOptions,
  file: string,
  fileReport: BundleFileReport,
  judged: JudgedNoteFile,
): VerificationResult {
  const { report, findings: F } = judged;
  const bad = F.filter((f) => f.severity === 'error').length;
  return buildFormatResult({
    format: {
      id: 'signed-note',
      layout: judged.layout,
      signatureRules: [
        ED25519_RULESET,
        ...(a.trust.keys.some((k) => k.key.kind === 'ecdsa-p256') ? [ECDSA_P256_RULESET] : []),
      ],
    },
    toolVersion: TOOL_VERSION,
    name: file,
    container: 'directory',
    origin: judged.origin,
    entryCount: 0,
    entriesBytes: 0,
    files: [fileReport],
    trustedKeys: trustReports(a.trust),
    checkpoints: [report],
    proofs: [],
    findings: F,
    checks: [
      checkSummary('checkpoint-signatures', bad, 1, {
        checkpoints: 1,
        trusted: report.status === 'trusted' ? 1 : 0,
        problems: bad,
      }),
    ],
    evidenceTime: {},
    findingsPerCode: a.findingsPerCode,
    crossCheck: a.crossCheck,
    maxEntryBytes: a.maxEntryBytes,
  });
}

/** The checkpoints of a tiled log: read, then judged against the examiner's keys. */
import { NOTE_SIG_RFC6962 } from '../../../../shared/keys/keys.js';
import { applyKeyValidity, windowsOf } from '../../../../shared/keys/validity.js';
import {
  checkpointOriginOf,
  type ExtendedCheckpointCheck,
  type ExtraNoteKey,
  judgeCheckpoint,
} from '../../../../shared/tlog/checkpoints.js';
import { type AdapterOptions, readIn, type SignaturePaths } from '../common.js';
import { keysInRole } from '../trust.js';
import type { TiledLogRun } from './run.js';

const MAX_NOTE_BYTES = 1024 * 1024;

export interface CheckpointNote {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export type JudgedCheckpoint = ExtendedCheckpointCheck & { path: string };

export interface JudgedCheckpoints {
  /** The origin given, or else the first one a checkpoint names ('' when none does). */
  readonly origin: string;
  /** The log's ECDSA keys that may sign RFC 6962 note signatures (static CT). */
  readonly extraKeys: ExtraNoteKey[];
  readonly checks: JudgedCheckpoint[];
}

/** Reads the checkpoint files present, in the order given. */
export function readCheckpoints(run: TiledLogRun, paths: readonly string[]): CheckpointNote[] {
  const notes: CheckpointNote[] = [];
  for (const p of paths) {
    const r = readIn(run.source, p, MAX_NOTE_BYTES, 'checkpoint');
    if (r.kind === 'missing') continue;
    if (r.kind === 'unsafe') run.add('PATH_UNSAFE', { file: p }, r.detail);
    else if (r.kind === 'too-large')
      run.add('CHECKPOINT_MALFORMED', { file: p }, `${p} is ${r.size} bytes, more than a note can be`);
    else {
      run.files.push(r.report);
      notes.push({ path: p, bytes: r.bytes });
    }
  }
  return notes;
}

export function judgeCheckpoints(
  run: TiledLogRun,
  o: AdapterOptions,
  sig: SignaturePaths,
  notes: readonly CheckpointNote[],
): JudgedCheckpoints {
  const origin = o.origin ?? notes.map((x) => checkpointOriginOf(x.bytes)?.origin).find((x) => x !== undefined) ?? '';
  const extraKeys = rfc6962NoteKeys(o, origin);
  const windows = windowsOf(o.trust.ed25519);
  // Entries of these layouts are opaque: a checkpoint has no claimed time, only witness times
  // and, for an RFC 6962 note signature, the time that signature carries (validity.ts).
  const checks: JudgedCheckpoint[] = notes.map(({ path, bytes }) => {
    const j = judgeCheckpoint(path, bytes, {
      origin,
      trusted: o.trust.ed25519,
      bundleKeys: [],
      verify: sig.ed25519,
      extraKeys,
      ecdsa: sig.ecdsa,
    });
    return { ...applyKeyValidity(j, { windows }), path };
  });
  for (const ch of checks) run.findings.push(...ch.findings);
  return { origin, extraKeys, checks };
}

/** A PEM key may sign static-CT checkpoints; a verifier key only as its type (0x05) says. */
function rfc6962NoteKeys(o: AdapterOptions, origin: string): ExtraNoteKey[] {
  return keysInRole(o.trust, 'log').flatMap((k) =>
    k.key.kind === 'ecdsa-p256' && origin && (k.note === undefined || k.note.sigType === NOTE_SIG_RFC6962)
      ? [{ kind: 'rfc6962-note' as const, key: k.key, name: k.note?.name ?? origin, label: k.label }]
      : [],
  );
}

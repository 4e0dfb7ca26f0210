/** What both signed-note inputs share: reading the one file, and judging a checkpoint with every trusted log key. */
import { basename, dirname } from 'node:path';
import { NOTE_SIG_ECDSA, NOTE_SIG_RFC6962 } from '../../../../shared/keys/keys.js';
import { applyKeyValidity, windowsOf } from '../../../../shared/keys/validity.js';
import {
  type ExtendedCheckpointCheck,
  type ExtraNoteKey,
  judgeCheckpoint,
} from '../../../../shared/tlog/checkpoints.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import { openBundle } from '../../../platform/bundle-source.js';
import { type AdapterOptions, readIn, type SignaturePaths } from '../common.js';
import { keysInRole } from '../trust.js';

/** Reads a single input file through the same path rules as bundles (its directory is the root). */
export function readSingle(
  path: string,
  max: number,
  role: BundleFileReport['role'],
): { bytes: Buffer; report: BundleFileReport } {
  const source = openBundle(dirname(path));
  const r = readIn(source, basename(path), max, role);
  if (r.kind === 'ok') return r;
  if (r.kind === 'too-large')
    throw new ProofdeskError('INPUT_TOO_LARGE', `${basename(path)} is ${r.size} bytes; the limit is ${max}`);
  throw new ProofdeskError('INPUT_UNREADABLE', r.kind === 'unsafe' ? r.detail : `${basename(path)} not found`);
}

/** ECDSA log keys as note signers: a PEM key may sign either way, a verifier key only as its type says. */
function extraKeysFor(a: AdapterOptions, origin: string): ExtraNoteKey[] {
  return keysInRole(a.trust, 'log').flatMap((k) => {
    if (k.key.kind !== 'ecdsa-p256') return [];
    const out: ExtraNoteKey[] = [];
    if (k.note === undefined || k.note.sigType === NOTE_SIG_RFC6962)
      out.push({ kind: 'rfc6962-note', key: k.key, name: k.note?.name ?? origin, label: k.label });
    if (k.note === undefined || k.note.sigType === NOTE_SIG_ECDSA)
      out.push({ kind: 'rekor-ecdsa', key: k.key, label: k.label });
    return out;
  });
}

/** A checkpoint judged against the Ed25519 and ECDSA log keys, then against the keys' validity windows. */
export function judgeTrustedCheckpoint(
  file: string,
  bytes: Uint8Array,
  a: AdapterOptions,
  sig: SignaturePaths,
  origin: string,
): ExtendedCheckpointCheck & { readonly timeLost?: true } {
  return applyKeyValidity(
    judgeCheckpoint(file, bytes, {
      origin,
      trusted: a.trust.ed25519,
      bundleKeys: [],
      verify: sig.ed25519,
      extraKeys: extraKeysFor(a, origin),
      ecdsa: sig.ecdsa,
    }),
    { windows: windowsOf(a.trust.ed25519) },
  );
}

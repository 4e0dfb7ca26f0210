/**
 * Steps 1 and 2 of `report verify`, and where the envelope comes from: a PDF's detached
 * signature and its attached attestation, or an attestation given on its own.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MAX_ENVELOPE_BYTES } from '../../../shared/report/dsse.js';
import { ATTESTATION_ATTACHMENT } from '../../../shared/report/verification-document.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { checkEd25519Chunks } from '../../platform/ed25519-node.js';
import { type ByteSource, extractAttachment } from '../pdf/attachments.js';
import type { ReportChecks } from './checks.js';
import { chunksOf, readBounded } from './input.js';

const ED25519_SIGNATURE_BYTES = 64;

/** An attestation given on its own is read whole, but only within the envelope limit. */
export function wholeEnvelope(r: ReportChecks, src: ByteSource, name: string): Uint8Array | undefined {
  if (src.size <= MAX_ENVELOPE_BYTES) return src.read(0, src.size);
  r.checks.set('envelope', 'fail');
  r.add('ATTESTATION_MALFORMED', { file: name, path: '$' }, `envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`);
  return undefined;
}

/** The PDF's attached attestation.dsse.json, if it has a readable one. */
export function attachedEnvelope(r: ReportChecks, src: ByteSource, name: string): Uint8Array | undefined {
  const a = extractAttachment(src, ATTESTATION_ATTACHMENT);
  r.checks.set('attachment', a.ok ? 'pass' : 'fail');
  if (a.ok) return a.bytes;
  r.add('ATTESTATION_MISSING', { file: name }, `no readable ${ATTESTATION_ATTACHMENT} in ${name}: ${a.detail}`, {
    reason: a.reason,
  });
  return undefined;
}

export interface DetachedSignature {
  /** The detached signature file; default `<input>.sig`. */
  readonly path: string;
  readonly examinerKey: Uint8Array;
  readonly keyFp: string;
}

/** Step 1: the PDF's detached signature by the examiner key. True when it verifies. */
export function checkDetachedSignature(r: ReportChecks, src: ByteSource, name: string, d: DetachedSignature): boolean {
  const sigName = basename(d.path);
  if (!existsSync(d.path)) {
    r.checks.set('detached-signature', 'skipped');
    r.add(
      'REPORT_SIGNATURE_MISSING',
      { file: sigName },
      `${sigName} not found; the PDF is checked by re-rendering it from its attestation`,
    );
    return false;
  }
  const { sig, unreadable } = readSignature(d.path);
  const v =
    unreadable !== undefined
      ? ({ ok: false, reason: unreadable } as const)
      : sig.length === ED25519_SIGNATURE_BYTES
        ? checkEd25519Chunks(d.examinerKey, () => chunksOf(src), sig)
        : ({ ok: false, reason: 'SIG_LENGTH' } as const);
  r.checks.set('detached-signature', v.ok ? 'pass' : 'fail');
  if (!v.ok)
    r.add(
      'REPORT_SIGNATURE_INVALID',
      { file: sigName },
      `${sigName} is not a valid signature of ${name} by key ${d.keyFp.slice(0, 16)}… (${v.reason})`,
      { reason: v.reason, size: sig.length },
    );
  return v.ok;
}

/**
 * A sidecar that is not a small regular file (a named pipe, a device, a huge file) is a failed
 * check, not a hang or an aborted verification: `unreadable` says why.
 */
function readSignature(path: string): { sig: Uint8Array; unreadable?: string } {
  try {
    return { sig: readBounded(path, 4096, 'signature') };
  } catch (e) {
    if (!(e instanceof ProofdeskError)) throw e;
    return { sig: new Uint8Array(0), unreadable: typeof e.detail?.reason === 'string' ? e.detail.reason : e.code };
  }
}

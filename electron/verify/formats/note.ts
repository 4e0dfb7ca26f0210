/**
 * Single-file inputs of the signed-note family:
 *  - a C2SP signed note (c2sp.org/signed-note), judged against the trusted keys; when its
 *    text is a tlog-checkpoint body it is judged as a checkpoint (Ed25519, static-CT 0x05 or
 *    Rekor ECDSA signatures), otherwise as a note. An unsigned checkpoint body is parsed and
 *    reported as carrying no trusted signature.
 *  - a C2SP tlog-proof file (c2sp.org/tlog-proof): the checkpoint is judged, and with the logged
 *    entry (`--entry`) the inclusion proof is verified against the signed size and root. A proof
 *    that fails for an entry it carries in `extra` is wrong (PROOF_INVALID); one that proves its
 *    `extra` while the given entry differs shows the entry is not the one logged.
 * Neither holds a log's entries, so the result has no entries (note) or one (the proved entry).
 */
import { basename } from 'node:path';
import { MAX_NOTE_SIZE } from '../../../shared/tlog/note.js';
import { MAX_PROOF_FILE_BYTES } from '../../../shared/tlog/proof-file.js';
import { type AdapterOptions, type AdapterOutput, runOf, signaturePaths } from './common.js';
import { readSingle } from './note/inputs.js';
import { judgeNoteFile, signedNoteResult } from './note/signed-note.js';
import { judgeProofFile, tlogProofResult } from './note/tlog-proof.js';

/**
 * The steps, each a module in note/: read the one file (`inputs.ts`), judge it by its shape
 * (`signed-note.ts`; a plain note in `plain-note.ts`) or as a proof file (`tlog-proof.ts`), and
 * finish the result there.
 */
export async function verifySignedNote(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const file = basename(a.input);
  const { bytes, report: fileReport } = readSingle(a.input, MAX_NOTE_SIZE, 'checkpoint');
  const judged = judgeNoteFile(file, bytes, a, signaturePaths(a.crossCheck));
  return { run: runOf(signedNoteResult(a, file, fileReport, judged), t0, bytes.length) };
}

export async function verifyTlogProofFile(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const file = basename(a.input);
  const { bytes, report: fileReport } = readSingle(a.input, MAX_PROOF_FILE_BYTES, 'proof');
  const outcome = judgeProofFile(file, bytes, fileReport, a, signaturePaths(a.crossCheck));
  return { run: runOf(tlogProofResult(a, file, outcome), t0, bytes.length) };
}

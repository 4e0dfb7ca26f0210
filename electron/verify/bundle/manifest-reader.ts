/** Reads and validates a bundle's manifest.json; the one place a manifest enters the engine. */
import {
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  type Manifest,
  type ManifestProblem,
  validateManifest,
} from '../../../shared/bundle/manifest.js';
import { firstDuplicateMember, numberTokens } from '../../../shared/encoding/json.js';
import { parseCheckpointBody } from '../../../shared/tlog/checkpoint.js';
import { parseNote } from '../../../shared/tlog/note.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type BundleSource, type FileRegion, readRegion } from '../../platform/bundle-source.js';

export interface LoadedManifest {
  readonly manifest: Manifest;
  readonly problems: readonly ManifestProblem[];
  readonly bytes: Buffer;
}

/** Throws ProofdeskError when the manifest is missing, not JSON, of an unknown format, or unusable. */
export function readManifest(source: BundleSource): LoadedManifest {
  const loc = source.locate(MANIFEST_FILE);
  if (!loc.ok) {
    throw new ProofdeskError(
      'INPUT_UNREADABLE',
      loc.reason === 'MISSING' ? `not a Proofdesk bundle: ${MANIFEST_FILE} is missing in ${source.name}` : loc.detail,
    );
  }
  const bytes = readRegion(loc.region, MAX_MANIFEST_BYTES, MANIFEST_FILE);
  let json: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    json = JSON.parse(text);
  } catch (e) {
    throw new ProofdeskError('INPUT_MALFORMED', `${MANIFEST_FILE} is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  const dup = firstDuplicateMember(text);
  const v = validateManifest(json, numberTokens(text));
  if (v.kind === 'unsupported') throw new ProofdeskError('UNSUPPORTED_FORMAT', v.message);
  if (v.kind === 'invalid') {
    throw new ProofdeskError(
      'INPUT_MALFORMED',
      `${MANIFEST_FILE} cannot be used: ${v.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  // A member given twice: the last value is the one used, and the ambiguity is a finding.
  const dupProblem: ManifestProblem[] = dup
    ? [
        {
          path: dup.path,
          message: `member "${dup.name}" appears more than once; the last one is used, another reader may use the first`,
        },
      ]
    : [];
  return { manifest: v.manifest, problems: [...dupProblem, ...v.problems], bytes };
}

/** The entries region of a bundle; throws when the entries file cannot be opened. */
export function entriesRegion(source: BundleSource, manifest: Manifest): FileRegion {
  const loc = source.locate(manifest.entries.path);
  if (!loc.ok) throw new ProofdeskError('INPUT_UNREADABLE', loc.detail);
  return loc.region;
}

export interface RawCheckpoint {
  readonly path: string;
  readonly bytes: Buffer;
  readonly size: number;
}

/** The bundle's checkpoint files whose body parses (signatures are not judged here). */
export function readCheckpoints(source: BundleSource, manifest: Manifest): RawCheckpoint[] {
  const out: RawCheckpoint[] = [];
  for (const path of manifest.checkpoints) {
    const loc = source.locate(path);
    if (!loc.ok) continue;
    const bytes = readRegion(loc.region, 1024 * 1024, path);
    const note = parseNote(bytes);
    if (!note.ok) continue;
    const body = parseCheckpointBody(note.text);
    if (body.ok) out.push({ path, bytes, size: body.size });
  }
  return out;
}

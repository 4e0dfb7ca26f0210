/**
 * Recognises what an input is from its shape, never from its name alone: a Proofdesk bundle, a
 * tiled log (tlog-tiles, sumdb, serverless), a CloudTrail export, a CT evidence directory, or a
 * single file (Sigstore bundle, signed tree head, tlog-proof, signed note). `--format` overrides
 * detection; an input that matches nothing is a usage error that says what was found.
 */
import { closeSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { tryDecodeUtf8 } from '../../shared/encoding/bytes.js';
import { TLOG_PROOF_HEADER } from '../../shared/tlog/proof-file.js';
import { ProofdeskError } from '../../shared/verdict/errors.js';
import { openBundle } from '../platform/bundle-source.js';
import { openRegion, openRegular } from '../platform/open-regular.js';
import type { InputFormat } from './input-format.js';

export interface Detected {
  readonly format: InputFormat;
  /** sumdb tile height found under tile/. */
  readonly height?: number;
}

const SNIFF_BYTES = 64 * 1024;

function sniff(path: string): Uint8Array {
  const { fd } = openRegular(path, { what: 'input', follow: true });
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function isUstar(head: Uint8Array): boolean {
  return head.length >= 263 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar';
}

/** Classifies a list of relative member paths (a directory or a tar). */
function fromMembers(paths: ReadonlySet<string>, manifestIsOurs: () => boolean): Detected | undefined {
  const has = (p: string) => paths.has(p);
  const under = (prefix: string) => [...paths].some((p) => p.startsWith(prefix));
  if (has('manifest.json') && manifestIsOurs()) return { format: 'proofdesk-bundle' };
  if (has('latest')) {
    for (const p of paths) {
      const m = /^tile\/([1-9][0-9]?)\/(data|[0-9]+)\//.exec(p);
      if (m && Number(m[1]) <= 30) return { format: 'sumdb', height: Number(m[1]) };
    }
  }
  if (has('checkpoint')) {
    if (under('seq/') && !under('tile/entries/')) return { format: 'serverless' };
    return { format: 'c2sp-tiles' };
  }
  if (under('AWSLogs/') || [...paths].some((p) => /(^|\/)[0-9]{12}_CloudTrail-Digest_/.test(p)))
    return { format: 'cloudtrail' };
  if ([...paths].some((p) => /(^|\/)([A-Za-z0-9._-]+\.)?sth\.json$/.test(p))) return { format: 'ct-log' };
  return undefined;
}

/** Detects the format of `path` (absolute). Throws USAGE when nothing matches, naming what was found. */
export function detectFormat(path: string): Detected {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new ProofdeskError('INPUT_UNREADABLE', `input not found: ${path}`);
  }
  if (st.isDirectory()) {
    const src = openBundle(path);
    const paths = new Set(src.members().map((m) => m.path));
    const d = fromMembers(paths, () => manifestIsOurs(src));
    if (d) return d;
    const subdirs = readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const hints = subdirs.filter((s) => {
      try {
        return (
          fromMembers(
            new Set(
              openBundle(join(path, s))
                .members()
                .map((m) => m.path),
            ),
            () => false,
          ) !== undefined
        );
      } catch {
        return false;
      }
    });
    throw new ProofdeskError(
      'USAGE',
      `cannot tell what ${path} is: no manifest.json, checkpoint, latest, AWSLogs/ or *.sth.json${hints.length ? ` (did you mean ${hints.map((h) => join(path, h)).join(' or ')}?)` : ''}; give --format`,
    );
  }
  if (!st.isFile()) throw new ProofdeskError('INPUT_UNREADABLE', `not a file or directory: ${path}`);
  const head = sniff(path);
  if (isUstar(head)) {
    const src = openBundle(path);
    const d = fromMembers(new Set(src.members().map((m) => m.path)), () => manifestIsOurs(src));
    if (d) return d;
    throw new ProofdeskError('USAGE', `cannot tell what the archive ${path} holds; give --format`);
  }
  const text = tryDecodeUtf8(head.length === SNIFF_BYTES ? head.subarray(0, head.length - 4) : head) ?? '';
  if (text.startsWith(`${TLOG_PROOF_HEADER}\n`)) return { format: 'tlog-proof' };
  const t = text.replace(/^\ufeff/, '').trimStart();
  if (t.startsWith('{')) {
    if (/"mediaType"\s*:\s*"application\/vnd\.dev\.sigstore\.bundle/.test(t)) return { format: 'sigstore' };
    if (/"tree_head_signature"\s*:/.test(t)) return { format: 'ct-sth' };
    if (/"digestS3Object"\s*:/.test(t))
      throw new ProofdeskError(
        'USAGE',
        `${path} is one CloudTrail digest file: give the export directory that holds the digests, their .metadata.json sidecars and the log files`,
      );
    if (/"mediaType"\s*:\s*"application\/vnd\.dev\.sigstore\.trustedroot/.test(t) || /"PublicKeyList"\s*:/.test(t)) {
      throw new ProofdeskError('USAGE', `${path} is trust material; give it with --trust`);
    }
    throw new ProofdeskError('USAGE', `cannot tell what the JSON file ${path} is; give --format`);
  }
  return { format: 'signed-note' };
}

function manifestIsOurs(src: ReturnType<typeof openBundle>): boolean {
  const loc = src.locate('manifest.json');
  if (!loc.ok) return false;
  const fd = openRegion(loc.region);
  try {
    const buf = Buffer.alloc(Math.min(4096, loc.region.size));
    readSync(fd, buf, 0, buf.length, loc.region.offset);
    // A Proofdesk manifest names its format near the top; anything else is some other manifest.
    return (
      /"format"\s*:\s*"proofdesk-bundle"/.test(buf.toString('utf8')) ||
      (!/"format"\s*:/.test(buf.toString('utf8')) && /"entries"\s*:\s*\{/.test(buf.toString('utf8')))
    );
  } finally {
    closeSync(fd);
  }
}

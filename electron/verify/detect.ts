/**
 * Recognises what an input is from its shape, never from its name alone: a Proofdesk bundle, a
 * tiled log (tlog-tiles, sumdb, serverless), a CloudTrail export, a CT evidence directory, or a
 * single file (Sigstore bundle, signed tree head, tlog-proof, signed note). `--format` overrides
 * detection; an input that matches nothing is a usage error (exit 2) that says what was found and
 * names the formats tried. Nothing unrecognised is handed to a verifier: an empty file, a zip or
 * a compressed archive judged as a "malformed signed note" would be a FAIL about evidence that
 * was never read.
 */
import { closeSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, MAX_MANIFEST_BYTES } from '../../shared/bundle/manifest.js';
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

/** What detection looks for, in the words of its error messages. */
export const FORMATS_TRIED =
  'a Proofdesk bundle (directory or ustar .tar with manifest.json), a C2SP tiled log (checkpoint, tile/), a Go checksum database (latest, tile/), a serverless log (checkpoint, seq/), a CloudTrail export (AWSLogs/), CT evidence (*.sth.json), a Sigstore bundle, a CT signed tree head, a C2SP tlog-proof, a signed note';

function unknownInput(path: string, what: string): ProofdeskError {
  return new ProofdeskError(
    'USAGE',
    `cannot tell what ${path} is: ${what}. Tried ${FORMATS_TRIED}; give --format to force one`,
  );
}

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

/** A root manifest.json: a Proofdesk manifest, another tool's, or one that cannot be read as JSON. */
type ManifestKind = 'ours' | 'other' | 'damaged';

/**
 * Classifies a list of relative member paths (a directory or a tar). A damaged manifest.json
 * makes it a bundle only when nothing else matches, so that the bundle reader says what is
 * wrong with it instead of calling it missing.
 */
function fromMembers(paths: ReadonlySet<string>, manifest: () => ManifestKind): Detected | undefined {
  const has = (p: string) => paths.has(p);
  const kind = has(MANIFEST_FILE) ? manifest() : undefined;
  if (kind === 'ours') return { format: 'proofdesk-bundle' };
  const other = fromLayout(paths, has);
  if (other) return other;
  return kind === 'damaged' ? { format: 'proofdesk-bundle' } : undefined;
}

function fromLayout(paths: ReadonlySet<string>, has: (p: string) => boolean): Detected | undefined {
  const under = (prefix: string) => [...paths].some((p) => p.startsWith(prefix));
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
    const d = fromMembers(paths, () => manifestKind(src));
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
            () => 'other',
          ) !== undefined
        );
      } catch {
        return false;
      }
    });
    throw unknownInput(
      path,
      `the directory holds no manifest.json, checkpoint, latest, AWSLogs/ or *.sth.json${hints.length ? ` (did you mean ${hints.map((h) => join(path, h)).join(' or ')}?)` : ''}`,
    );
  }
  if (!st.isFile()) throw new ProofdeskError('INPUT_UNREADABLE', `not a file or directory: ${path}`);
  const head = sniff(path);
  if (isUstar(head)) {
    const src = openBundle(path);
    const d = fromMembers(new Set(src.members().map((m) => m.path)), () => manifestKind(src));
    if (d) return d;
    throw unknownInput(path, 'the archive holds none of the files these formats start with');
  }
  const unusable = notEvidence(head);
  if (unusable) throw unknownInput(path, unusable);
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
    throw unknownInput(path, 'it is a JSON document of none of these formats');
  }
  return { format: 'signed-note' };
}

/** Magic numbers of containers that are not evidence Proofdesk reads, with what to do about them. */
const CONTAINERS: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x1f, 0x8b], 'a gzip-compressed file (a .tar.gz?); decompress it first, keeping the original as evidence'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive; bundles are uncompressed ustar archives or directories'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty zip archive'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file; decompress it first'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file; decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file; decompress it first'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7z archive'],
];

/** A tar header block whose checksum is right: a pre-POSIX (v7) archive when the ustar magic is absent. */
function tarChecksumOk(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  const field = String.fromCharCode(...head.subarray(148, 156))
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (head[i] as number);
  return sum === Number.parseInt(field, 8);
}

/**
 * Why a file's first bytes cannot be any single-file format, or undefined. A signed note, a
 * tlog-proof and the JSON documents are UTF-8 text: a file with a NUL byte, or with more than
 * one invalid UTF-8 sequence and more than one in 64 bytes, is not one. (A stray invalid byte in
 * a note is still read as a note, and reported as malformed.)
 */
function notEvidence(head: Uint8Array): string | undefined {
  if (head.length === 0) return 'the file is empty';
  for (const [magic, what] of CONTAINERS)
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return `it is ${what}`;
  if (head.length >= 512 && head.subarray(0, 512).every((b) => b === 0))
    return 'it starts with an all-zero block (an empty tar archive?)';
  if (tarChecksumOk(head))
    return 'it is a pre-POSIX (v7) tar archive; bundles are POSIX ustar archives (GNU tar: --format=ustar)';
  if (head.includes(0)) return 'it is binary data (it holds NUL bytes), not a text document';
  const text = new TextDecoder('utf-8').decode(head.length === SNIFF_BYTES ? head.subarray(0, head.length - 4) : head);
  let invalid = 0;
  for (const ch of text) if (ch === '\ufffd') invalid++;
  if (invalid > 1 && invalid * 64 > head.length) return 'it is binary data (mostly not UTF-8), not a text document';
  return undefined;
}

/**
 * Reads the whole manifest.json (up to the bundle limit): a conformant manifest may put
 * `format` after many checkpoints, so no prefix of it decides.
 */
function manifestKind(src: ReturnType<typeof openBundle>): ManifestKind {
  const loc = src.locate(MANIFEST_FILE);
  if (!loc.ok) return loc.reason === 'MISSING' ? 'other' : 'damaged';
  if (loc.region.size > MAX_MANIFEST_BYTES) return 'damaged';
  const fd = openRegion(loc.region);
  let json: unknown;
  try {
    const buf = Buffer.alloc(loc.region.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, loc.region.offset + got);
      if (n === 0) break;
      got += n;
    }
    const text = tryDecodeUtf8(buf.subarray(0, got));
    if (text === undefined) return 'damaged';
    json = JSON.parse(text);
  } catch {
    return 'damaged';
  } finally {
    closeSync(fd);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'damaged';
  const m = json as Record<string, unknown>;
  // A manifest without a format member but with an entries object is an old or hand-made bundle
  // manifest: reading it as one lets the bundle reader say exactly what it lacks.
  if (m.format === 'proofdesk-bundle') return 'ours';
  if (m.format === undefined && typeof m.entries === 'object' && m.entries !== null) return 'ours';
  return 'other';
}

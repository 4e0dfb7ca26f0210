/**
 * Verifies a static tiled log read from disk (a directory or an uncompressed tar of one):
 * C2SP tlog-tiles, the Go checksum-database tile layout, or the older serverless-log leaf
 * layout (shared/tlog/tiles.ts).
 *
 *   checkpoints (`checkpoint` / `latest`, and earlier ones kept as `checkpoint.<N>`) → judged
 *   against the examiner's keys → entries read tile by tile in order, leaves hashed (RFC 9162
 *   §2.1.1) → level-0 tiles compared as each leaf tile is read → roots at every checkpoint size
 *   compared with the signed roots → higher tiles compared with the recomputed nodes → tlog-proof
 *   files verified against the entries → one VerificationResult (shared/verdict/format-result.ts).
 *
 * Memory is bounded by one leaf tile plus the nodes at tree levels 8, 16, … (32 bytes per 256
 * entries), so a log of any size is read in one streaming pass.
 */

import { ECDSA_P256_RULESET } from '../../../shared/crypto/ecdsa.js';
import { ED25519_RULESET } from '../../../shared/crypto/ed25519.js';
import { bytesEqual, toHex, tryDecodeUtf8 } from '../../../shared/encoding/bytes.js';
import { NOTE_SIG_RFC6962 } from '../../../shared/keys/keys.js';
import { applyKeyValidity, cosignedRange, windowsOf } from '../../../shared/keys/validity.js';
import { parseCheckpointBody } from '../../../shared/tlog/checkpoint.js';
import { RootsBySize } from '../../../shared/tlog/checkpoint-verify.js';
import {
  checkpointOriginOf,
  type ExtendedCheckpointCheck,
  type ExtraNoteKey,
  judgeCheckpoint,
} from '../../../shared/tlog/checkpoints.js';
import { parseNote } from '../../../shared/tlog/note.js';
import {
  MAX_PROOF_FILE_BYTES,
  type ParsedProof,
  parseProofFile,
  verifyProof,
} from '../../../shared/tlog/proof-file.js';
import {
  type Layout,
  parseDataTile,
  parseEntryBundle,
  parseTilePath,
  serverlessLeafPath,
  type TileRef,
  tilePath,
  tilesForSize,
} from '../../../shared/tlog/tiles.js';
import { TreeBuilder } from '../../../shared/tlog/tree-builder.js';
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { type Finding, type FindingCode, finding } from '../../../shared/verdict/findings.js';
import type { FormatId } from '../../../shared/verdict/format-ids.js';
import { buildFormatResult, checkSummary } from '../../../shared/verdict/format-result.js';
import type { BundleFileReport, CheckpointReport, ProofReport } from '../../../shared/verdict/result.js';
import { batchHasher, hashingStat } from '../../platform/batch-hash.js';
import { type BundleMember, openBundle } from '../../platform/bundle-source.js';
import { leafHashesInto, nodeSha256 } from '../../platform/node-hash.js';
import { TOOL_VERSION } from '../../platform/version.js';
import {
  type AdapterOptions,
  type AdapterOutput,
  readIn,
  runOf,
  signaturePaths,
  throwIfCancelled,
  yieldToEventLoop,
} from './common.js';
import { keysInRole, trustReports } from './trust.js';

const MAX_NOTE_BYTES = 1024 * 1024;
/** A full entry bundle is at most 256 × (2 + 65535) bytes. */
const MAX_BUNDLE_BYTES = 256 * (2 + 0xffff);
/** A hash tile is 8 KiB; anything much larger is refused unread. */
const MAX_TILE_BYTES = 64 * 1024;
/** sumdb data tiles: 2^H records of at most a few KiB each. */
const MAX_DATA_TILE_BYTES = 64 * 1024 * 1024;

/** The checkpoint file names each layout publishes its latest checkpoint under. */
const LATEST: Record<Layout, string> = { 'tlog-tiles': 'checkpoint', sumdb: 'latest', serverless: 'checkpoint' };
const FORMAT_OF: Record<Layout, FormatId> = { 'tlog-tiles': 'c2sp-tiles', sumdb: 'sumdb', serverless: 'serverless' };

export interface TiledLogOptions extends AdapterOptions {
  readonly layout: Layout;
  /** sumdb tile height (8 for sum.golang.org and for tlog-tiles). */
  readonly height?: number;
}

interface Counters {
  tilesChecked: number;
  tileProblems: number;
  rootsChecked: number;
  rootProblems: number;
  entryProblems: number;
}

export async function verifyTiledLog(o: TiledLogOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const layout = o.layout;
  const height = layout === 'tlog-tiles' || layout === 'serverless' ? 8 : (o.height ?? 8);
  const W = 2 ** height;
  const source = openBundle(o.input);
  const sig = signaturePaths(o.crossCheck);
  const F: Finding[] = [];
  const files: BundleFileReport[] = [];
  const add = (
    code: FindingCode,
    loc: Finding['location'],
    msg: string,
    ev?: Record<string, string | number | boolean | null>,
  ) => F.push(finding(code, loc, msg, ev));
  const c: Counters = { tilesChecked: 0, tileProblems: 0, rootsChecked: 0, rootProblems: 0, entryProblems: 0 };

  // The listing is used while the log is set up and then let go (a large log has tens of
  // thousands of files): what later steps need of it is kept apart (partial tiles, the members
  // that may be unknown files, the listed tiles by index).
  let members: readonly BundleMember[] | undefined;
  try {
    members = source.members();
  } catch (e) {
    if (!(e instanceof ProofdeskError && e.code === 'INPUT_TOO_LARGE')) throw e;
  }
  let listed = members ? new Set(members.filter((m) => m.kind === 'file').map((m) => m.path)) : undefined;
  const isLayoutPath = (path: string) =>
    layout === 'serverless'
      ? /^seq\//.test(path) || /^(leaves|tile)\//.test(path)
      : parseTilePath(layout, path, height) !== undefined;
  /** Members that are not files of the layout: reported at the end unless read or compared. */
  const maybeUnlisted = members?.filter((m) => m.kind !== 'directory' && !(m.kind === 'file' && isLayoutPath(m.path)));
  /** Listed partial tiles (`….p/<w>`), for the last entry bundle. */
  const listedPartials = listed ? [...listed].filter((p) => p.includes('.p/')) : undefined;

  // ── checkpoints ──
  const latest = LATEST[layout];
  const cpPaths = [latest];
  if (listed) {
    const re = new RegExp(`^${latest}\\.(0|[1-9][0-9]*)$`);
    cpPaths.push(
      ...[...listed]
        .filter((p) => re.test(p))
        .sort((a, b) => Number(a.slice(latest.length + 1)) - Number(b.slice(latest.length + 1))),
    );
  }
  const cpBytes: Array<{ path: string; bytes: Uint8Array }> = [];
  for (const p of cpPaths) {
    const r = readIn(source, p, MAX_NOTE_BYTES, 'checkpoint');
    if (r.kind === 'missing') continue;
    if (r.kind === 'unsafe') add('PATH_UNSAFE', { file: p }, r.detail);
    else if (r.kind === 'too-large')
      add('CHECKPOINT_MALFORMED', { file: p }, `${p} is ${r.size} bytes, more than a note can be`);
    else {
      files.push(r.report);
      cpBytes.push({ path: p, bytes: r.bytes });
    }
  }
  const origin = o.origin ?? cpBytes.map((x) => checkpointOriginOf(x.bytes)?.origin).find((x) => x !== undefined) ?? '';
  // A PEM key may sign static-CT checkpoints; a verifier key only as its type (0x05) says.
  const extraKeys: ExtraNoteKey[] = keysInRole(o.trust, 'log').flatMap((k) =>
    k.key.kind === 'ecdsa-p256' && origin && (k.note === undefined || k.note.sigType === NOTE_SIG_RFC6962)
      ? [{ kind: 'rfc6962-note' as const, key: k.key, name: k.note?.name ?? origin, label: k.label }]
      : [],
  );
  const windows = windowsOf(o.trust.ed25519);
  // Entries of these layouts are opaque: a checkpoint has no claimed time, only witness times
  // and, for an RFC 6962 note signature, the time that signature carries (validity.ts).
  const checks: Array<ExtendedCheckpointCheck & { path: string }> = cpBytes.map(({ path, bytes }) => {
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
  for (const ch of checks) F.push(...ch.findings);

  // ── proof files: parsed now, verified once the entries are read ──
  const proofPaths = listed
    ? [...listed].filter((p) => /^(proofs\/)?[A-Za-z0-9._-]+\.(tlog-proof|consistency-proof)$/.test(p)).sort()
    : [];
  const proofs: Array<{ path: string; parsed?: ParsedProof }> = [];
  for (const p of proofPaths) {
    const r = readIn(source, p, MAX_PROOF_FILE_BYTES, 'proof');
    if (r.kind !== 'ok') {
      add('PROOF_MALFORMED', { file: p }, r.kind === 'too-large' ? 'proof file too large' : 'proof file unreadable');
      proofs.push({ path: p });
      continue;
    }
    files.push(r.report);
    const parsed = parseProofFile(r.bytes);
    if (!parsed.ok) {
      add('PROOF_MALFORMED', { file: p }, `proof file cannot be parsed: ${parsed.reason}`);
      proofs.push({ path: p });
    } else proofs.push({ path: p, parsed: parsed.proof });
  }
  const sizeOfNote = (b: Uint8Array): number | undefined => {
    const n = parseNote(b);
    const body = n.ok ? parseCheckpointBody(n.text) : undefined;
    return body?.ok ? body.size : undefined;
  };
  const wantedSizes = new Set<number>();
  for (const ch of checks) if (ch.report.size !== undefined) wantedSizes.add(ch.report.size);
  const wantedLeaves = new Set<number>();
  for (const pr of proofs) {
    if (pr.parsed?.kind === 'inclusion') {
      wantedLeaves.add(pr.parsed.index);
      const s = sizeOfNote(pr.parsed.checkpoint);
      if (s !== undefined) wantedSizes.add(s);
    }
  }
  const trustedSizes = [...new Set(checks.filter((ch) => ch.trusted).map((ch) => ch.trusted!.size))].sort(
    (a, b) => a - b,
  );

  // ── entries, tile by tile ──
  // Tiles (entry bundles, hash tiles) are read one after another into one reused buffer, used
  // at once and never kept: a fresh buffer per tile file left garbage collection 17% of a run.
  let scratch = Buffer.allocUnsafeSlow(64 * 1024);
  const readTile = (path: string, max: number, role: BundleFileReport['role']) => {
    const r = readIn(source, path, max, role, scratch);
    if (r.kind === 'ok' && r.bytes.length > scratch.length)
      scratch = Buffer.allocUnsafeSlow(Math.min(max, Math.ceil(r.bytes.length * 1.25)));
    return r;
  };
  const builder = new TreeBuilder({ hash: nodeSha256, height, wantedSizes, wantedLeaves });
  // Each leaf tile is hashed in batched calls: its leaf hashes, and the root of a full tile.
  const hasher = batchHasher(o.crossCheck);
  const leafHashes = new Uint8Array(W * 32);
  const tileRoot = new Uint8Array(32);
  const starts = new Int32Array(W);
  const ends = new Int32Array(W);
  const compared = new Set<string>();
  const missingByLevel = new Map<number, { count: number; first: string }>();
  const tileRange = (t: TileRef): [number, number] => {
    const start = t.index * W ** (t.level + 1);
    return [start, start + t.width * W ** t.level];
  };
  const compareTilePath = (path: string, t: TileRef, required: boolean) => {
    if (compared.has(path)) return;
    const r = readTile(path, MAX_TILE_BYTES, 'proof');
    if (r.kind === 'missing') {
      if (required) {
        const m = missingByLevel.get(t.level) ?? { count: 0, first: path };
        m.count++;
        missingByLevel.set(t.level, m);
      }
      return;
    }
    compared.add(path);
    if (r.kind === 'unsafe') return add('PATH_UNSAFE', { file: path }, r.detail);
    if (r.kind === 'too-large') {
      c.tileProblems++;
      return add(
        'TILE_MALFORMED',
        { file: path, range: tileRange(t) },
        `hash tile of ${r.size} bytes; a tile of width ${t.width} has ${t.width * 32}`,
        { expected: t.width * 32, actual: r.size },
      );
    }
    const cmp = builder.compareTile(t, r.bytes);
    if (cmp.ok) {
      files.push(r.report);
      c.tilesChecked++;
      return;
    }
    switch (cmp.reason) {
      case 'NOT_COMPUTED':
        compared.delete(path);
        return;
      case 'SIZE':
        files.push(r.report);
        c.tileProblems++;
        return add(
          'TILE_MALFORMED',
          { file: path, range: tileRange(t) },
          `hash tile of ${cmp.actualBytes} bytes; width ${t.width} needs ${cmp.expectedBytes}`,
          { expected: cmp.expectedBytes, actual: cmp.actualBytes },
        );
      case 'MISMATCH': {
        files.push(r.report);
        c.tileProblems++;
        const [from] = tileRange(t);
        const span = W ** t.level;
        return add(
          'TILE_HASH_MISMATCH',
          { file: path, range: [from + cmp.position * span, from + (cmp.position + 1) * span] },
          `hash ${cmp.position} of level-${t.level} tile ${t.index} differs from the hash recomputed from the entries (${cmp.mismatches} of ${t.width} differ)`,
          { expected: cmp.actual, actual: cmp.expected, position: cmp.position, mismatches: cmp.mismatches },
        );
      }
    }
  };
  type Required = { t: TileRef; fallback?: string };
  const requiredOf = (t: TileRef): Required => ({
    t,
    ...(t.width < W ? { fallback: tilePath(layout as Exclude<Layout, 'serverless'>, { ...t, width: W }, height) } : {}),
  });
  /**
   * Tiles above level 0 that the trusted checkpoint sizes require, each with its fallback
   * full-tile path. Level-0 tiles (all but a few hundredth of them) are worked out per leaf
   * tile instead (requiredAt0), in the same order: sizes ascending, first occurrence of a path.
   */
  const required = new Map<string, Required>();
  if (layout !== 'serverless') {
    for (const s of trustedSizes) {
      for (const t of tilesForSize(s, height)) {
        if (t.level === 0) continue;
        const p = tilePath(layout, t, height);
        if (!required.has(p)) required.set(p, requiredOf(t));
      }
    }
  }
  const requiredAt0 = (n: number): Array<[string, Required]> => {
    const out: Array<[string, Required]> = [];
    if (layout === 'serverless') return out;
    for (const s of trustedSizes) {
      const full = Math.floor(s / W);
      const t: TileRef | undefined =
        n < full
          ? { kind: 'hash', level: 0, index: n, width: W }
          : n === full && s % W > 0
            ? { kind: 'hash', level: 0, index: n, width: s % W }
            : undefined;
      if (!t) continue;
      const p = tilePath(layout, t, height);
      if (!out.some(([q]) => q === p)) out.push([p, requiredOf(t)]);
    }
    return out;
  };
  // Listed hash tiles: level 0 by index (paths only, parsed again when compared), higher ones in a list.
  const listedAt0 = new Map<number, string[]>();
  const listedAbove: Array<[string, TileRef]> = [];
  if (listed && layout !== 'serverless') {
    for (const p of listed) {
      const t = parseTilePath(layout, p, height);
      if (t?.kind !== 'hash') continue;
      if (t.level > 0) listedAbove.push([p, t]);
      else {
        const at = listedAt0.get(t.index);
        if (at) at.push(p);
        else listedAt0.set(t.index, [p]);
      }
    }
  }
  members = undefined;
  listed = undefined;
  const checkTilesAtLevel0 = (index: number) => {
    if (layout === 'serverless') return;
    for (const p of listedAt0.get(index) ?? []) compareTilePath(p, parseTilePath(layout, p, height)!, false);
    for (const [p, req] of requiredAt0(index)) checkRequired(p, req);
  };
  const checkRequired = (p: string, req: { t: TileRef; fallback?: string }) => {
    if (compared.has(p) || (req.fallback && compared.has(req.fallback))) return;
    const before = missingByLevel.get(req.t.level)?.count ?? 0;
    compareTilePath(p, req.t, !req.fallback);
    if (req.fallback && !compared.has(p)) {
      // The partial tile may have been replaced by the full one (tlog-tiles "Partial Tiles").
      compareTilePath(req.fallback, { ...req.t, width: W }, true);
      if (!compared.has(req.fallback)) {
        // Neither is there: count the partial tile once as missing.
        const m = missingByLevel.get(req.t.level);
        if (m && m.count > before) m.first = p;
      }
    }
  };

  let entriesBytes = 0;
  let stop = false;
  for (let n = 0; !stop; n++) {
    if (n % 32 === 0) await yieldToEventLoop();
    throwIfCancelled(o.signal);
    let entries: Uint8Array[] = [];
    if (layout === 'serverless') {
      for (let i = n * W; i < (n + 1) * W; i++) {
        const p = serverlessLeafPath(i);
        const r = readIn(source, p, o.maxEntryBytes, 'entries');
        if (r.kind === 'missing') {
          stop = true;
          break;
        }
        if (r.kind !== 'ok') {
          c.entryProblems++;
          add(
            r.kind === 'unsafe' ? 'PATH_UNSAFE' : 'TILE_MALFORMED',
            { file: p, entry: i },
            r.kind === 'unsafe'
              ? r.detail
              : `leaf file of ${r.size} bytes exceeds the maximum entry size; entries from here on are not read`,
          );
          stop = true;
          break;
        }
        files.push(r.report);
        entriesBytes += r.bytes.length;
        entries.push(r.bytes);
      }
      if (entries.length === 0) break;
    } else {
      let width = W;
      let p = tilePath(layout, { kind: 'entries', level: 0, index: n, width: W }, height);
      const max = layout === 'sumdb' ? MAX_DATA_TILE_BYTES : MAX_BUNDLE_BYTES;
      let r = readTile(p, max, 'entries');
      if (r.kind === 'missing') {
        // The last, partial bundle: take the widest one present.
        stop = true;
        const widths = partialWidths(
          listedPartials,
          source,
          tilePath(layout, { kind: 'entries', level: 0, index: n, width: W }, height),
          W,
        );
        if (widths.length === 0) break;
        width = widths[widths.length - 1]!;
        p = tilePath(layout, { kind: 'entries', level: 0, index: n, width }, height);
        r = readTile(p, max, 'entries');
      }
      if (r.kind !== 'ok') {
        c.entryProblems++;
        if (r.kind === 'unsafe') add('PATH_UNSAFE', { file: p }, r.detail);
        else if (r.kind === 'too-large')
          add(
            'TILE_MALFORMED',
            { file: p, entry: n * W },
            `entry bundle of ${r.size} bytes is larger than any bundle can be`,
          );
        break;
      }
      files.push(r.report);
      entriesBytes += r.bytes.length;
      const parsed =
        layout === 'sumdb' ? parseDataTile(r.bytes, width, tryDecodeUtf8) : parseEntryBundle(r.bytes, width);
      entries = [...parsed.entries];
      if (!parsed.ok) {
        c.entryProblems++;
        stop = true;
        add(
          'TILE_MALFORMED',
          { file: p, entry: n * W + parsed.entries.length, offset: parsed.offset },
          `${layout === 'sumdb' ? 'data tile' : 'entry bundle'} ${p} cannot be decoded (${parsed.reason}) after ${parsed.entries.length} of ${width} entries; later entries are not read`,
          { reason: parsed.reason, width },
        );
      }
    }
    const tile = entries[0]?.buffer;
    if (layout !== 'serverless' && tile && entries.every((e) => e.buffer === tile)) {
      // Entries are views of the tile file just read: hashed where they lie.
      const whole = new Uint8Array(tile);
      entries.forEach((e, k) => {
        starts[k] = e.byteOffset;
        ends[k] = e.byteOffset + e.length;
      });
      hasher.leaves(whole, starts, ends, entries.length, leafHashes);
    } else leafHashesInto(entries, leafHashes);
    const full = entries.length === W;
    if (full) hasher.root(leafHashes, W, tileRoot);
    builder.appendLeafHashes(n, leafHashes.subarray(0, entries.length * 32), full ? tileRoot : undefined);
    if (layout !== 'serverless') checkTilesAtLevel0(n);
    if (entries.length < W) stop = true;
    o.onProgress?.({
      stage: 'verify',
      entriesDone: builder.size,
      bytesDone: entriesBytes,
      bytesTotal: entriesBytes,
      elapsedMs: Date.now() - t0,
      entriesPerSecond: (builder.size * 1000) / Math.max(1, Date.now() - t0),
      perWorker: [],
    });
  }
  const count = builder.size;

  // ── higher tiles ──
  for (const [p, t] of listedAbove) compareTilePath(p, t, false);
  for (const [p, req] of required) checkRequired(p, req);
  for (const [level, m] of [...missingByLevel].sort((a, b) => a[0] - b[0])) {
    add(
      'TILE_MISSING',
      { file: m.first },
      `${m.count} level-${level} tile${m.count === 1 ? '' : 's'} required by the trusted checkpoints ${m.count === 1 ? 'is' : 'are'} not in the export (first: ${m.first})`,
      { level, count: m.count },
    );
  }

  // ── roots at checkpoint sizes ──
  const cpReports: CheckpointReport[] = [];
  // Per size, the roots trusted so far and who signed them: equivocation needs one key behind both.
  const trustedRoots = new RootsBySize();
  for (const ch of checks) {
    let report = ch.report;
    if (ch.trusted) {
      const { size, root } = ch.trusted;
      if (size > count) {
        c.rootProblems++;
        report = { ...report, rootStatus: 'beyond-entries' };
        add(
          'CHECKPOINT_BEYOND_ENTRIES',
          { file: ch.path, checkpointSize: size, range: [count, size] },
          `the checkpoint commits to ${size} entries but only ${count} could be read: entries ${count}..${size - 1} are missing`,
          { expected: size, actual: count },
        );
      } else {
        const computed = builder.root(size);
        if (!computed) throw new ProofdeskError('INTERNAL', `root at size ${size} was not computed`);
        const matches = bytesEqual(computed, root);
        c.rootsChecked++;
        report = { ...report, rootStatus: matches ? 'match' : 'mismatch', computedRoot: toHex(computed) };
        if (!matches) {
          c.rootProblems++;
          add(
            'ROOT_MISMATCH',
            { file: ch.path, checkpointSize: size, range: [0, size] },
            `the root of the first ${size} entries differs from the signed root`,
            { expected: toHex(root), actual: toHex(computed) },
          );
        }
      }
      const prior = trustedRoots.conflict(size, root, report);
      if (prior) {
        c.rootProblems++;
        add(
          'CHECKPOINT_CONFLICT',
          { file: ch.path, checkpointSize: size },
          `two trusted checkpoints of size ${size} sign different roots`,
          { first: toHex(prior), second: toHex(root) },
        );
      }
    }
    cpReports.push(report);
  }

  // ── proofs against the entries ──
  const proofReports: ProofReport[] = [];
  for (const pr of proofs) {
    if (!pr.parsed) {
      proofReports.push({ file: pr.path, kind: 'unknown', status: 'malformed' });
      continue;
    }
    const out = verifyProof(pr.path, pr.parsed, {
      origin,
      trusted: o.trust.ed25519,
      bundleKeys: [],
      verify: sig.ed25519,
      leafHash: (i) => builder.leafHash(i),
      entryCount: count,
    });
    F.push(...out.findings);
    proofReports.push(out.report);
    if (pr.parsed.kind === 'inclusion' && out.report.size !== undefined && out.report.size <= count) {
      const signed = checkpointOriginOf(pr.parsed.checkpoint);
      const computed = builder.root(out.report.size);
      if (signed && computed && signed.root !== toHex(computed) && out.report.status === 'verified') {
        add(
          'ROOT_MISMATCH',
          { file: pr.path, checkpointSize: out.report.size, range: [0, out.report.size] },
          `the proof's checkpoint signs a root the entries do not reproduce`,
          { expected: signed.root, actual: toHex(computed) },
        );
      }
    }
  }

  // ── unknown files: reported, never read ──
  // (Files of the layout beyond what was needed were left out of maybeUnlisted.)
  if (maybeUnlisted) {
    const known = new Set(files.map((f) => f.path));
    for (const m of maybeUnlisted) {
      if (known.has(m.path) || compared.has(m.path)) continue;
      add('FILE_UNLISTED', { file: m.path }, `${m.path} (${m.kind}) is not part of the ${layout} layout; ignored`);
    }
  }

  const n = (codes: FindingCode[]) => F.filter((f) => codes.includes(f.code)).length;
  const cpBad =
    n(['CHECKPOINT_MALFORMED', 'CHECKPOINT_ORIGIN_MISMATCH', 'KEY_UNTRUSTED', 'KEY_NOT_VALID_AT_TIME', 'KEY_REVOKED']) +
    cpReports.filter((x) => x.status === 'rejected').length;
  const result = buildFormatResult({
    format: {
      id: FORMAT_OF[layout],
      layout: layout === 'sumdb' ? `sumdb tiles, height ${height}` : layout,
      signatureRules: [ED25519_RULESET, ...(extraKeys.length ? [ECDSA_P256_RULESET] : [])],
    },
    toolVersion: TOOL_VERSION,
    name: source.name,
    container: source.container,
    origin,
    entryCount: count,
    entriesBytes,
    files,
    trustedKeys: trustReports(o.trust),
    checkpoints: cpReports,
    proofs: proofReports,
    findings: F,
    failedEntries: [],
    checks: [
      checkSummary('entries', c.entryProblems, count, { entries: count, problems: c.entryProblems }),
      checkSummary(
        'checkpoint-signatures',
        cpBad,
        cpReports.length,
        {
          checkpoints: cpReports.length,
          trusted: cpReports.filter((x) => x.status === 'trusted').length,
          problems: cpBad,
        },
        cpReports.length === 0 ? 'inconclusive' : undefined,
      ),
      checkSummary(
        'merkle-roots',
        c.rootProblems + c.tileProblems,
        c.rootsChecked + c.tilesChecked,
        { roots: c.rootsChecked, tiles: c.tilesChecked, problems: c.rootProblems + c.tileProblems },
        c.rootsChecked + c.rootProblems === 0 ? 'inconclusive' : undefined,
      ),
      checkSummary('proofs', proofReports.filter((x) => x.status !== 'verified').length, proofReports.length, {
        proofs: proofReports.length,
        verified: proofReports.filter((x) => x.status === 'verified').length,
      }),
    ],
    evidenceTime: cosignedRange(cpReports) ?? {},
    findingsPerCode: o.findingsPerCode,
    crossCheck: o.crossCheck,
    maxEntryBytes: o.maxEntryBytes,
  });
  return {
    run: runOf(result, t0, entriesBytes, 0, hashingStat(o.crossCheck)),
    tiles: { layout, count, blockLeaves: W, blockRoots: builder.nodeBytes(1) },
  };
}

/** Widths of the partial tiles present for a full-tile path, ascending (from the listed partial tiles, when listed). */
function partialWidths(
  listed: readonly string[] | undefined,
  source: ReturnType<typeof openBundle>,
  fullPath: string,
  full: number,
): number[] {
  const prefix = `${fullPath}.p/`;
  if (listed) {
    return [...listed]
      .filter((p) => p.startsWith(prefix) && /^[1-9][0-9]{0,2}$/.test(p.slice(prefix.length)))
      .map((p) => Number(p.slice(prefix.length)))
      .filter((w) => w < full)
      .sort((a, b) => a - b);
  }
  const out: number[] = [];
  for (let w = 1; w < full; w++) if (source.locate(prefix + w).ok) out.push(w);
  return out;
}

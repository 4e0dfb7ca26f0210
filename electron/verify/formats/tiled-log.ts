/**
 * Verifies a static tiled log read from disk (a directory or an uncompressed tar of one):
 * C2SP tlog-tiles, the Go checksum-database tile layout, or the older serverless-log leaf
 * layout (shared/tlog/tiles.ts).
 *
 *   checkpoints (`checkpoint` / `latest`, and earlier ones kept as `checkpoint.<N>`) → judged
 *   against the examiner's keys → entries read tile by tile in order, leaves hashed (RFC 9162
 *   §2.1.1) → level-0 tiles compared as each leaf tile is read → higher tiles compared with the
 *   recomputed nodes → roots at every checkpoint size compared with the signed roots → tlog-proof
 *   files verified against the entries → one VerificationResult (shared/verdict/format-result.ts).
 *
 * Memory is bounded by one leaf tile plus the nodes at tree levels 8, 16, … (32 bytes per 256
 * entries), so a log of any size is read in one streaming pass.
 *
 * The steps, each a module in tiled-log/: take what is needed of the listing (`listing.ts`), read
 * and judge the checkpoints (`checkpoints.ts`), read the proof files (`proofs.ts`), read and hash
 * the entries (`entries.ts`, `leaf-hashes.ts`) while comparing the hash tiles (`hash-tiles.ts`),
 * judge the roots (`roots.ts`), verify the proofs, and finish the result (`result.ts`).
 */

import type { Layout } from '../../../shared/tlog/tiles.js';
import { TreeBuilder } from '../../../shared/tlog/tree-builder.js';
import { hashingStat } from '../../platform/batch-hash.js';
import { openBundle } from '../../platform/bundle-source.js';
import { nodeSha256 } from '../../platform/node-hash.js';
import { type AdapterOptions, type AdapterOutput, runOf, signaturePaths } from './common.js';
import { judgeCheckpoints, readCheckpoints } from './tiled-log/checkpoints.js';
import { EntryReader, hashAllEntries } from './tiled-log/entries.js';
import { HashTiles } from './tiled-log/hash-tiles.js';
import { LeafTileHasher } from './tiled-log/leaf-hashes.js';
import { surveyListing } from './tiled-log/listing.js';
import { readProofFiles, treeWants, verifyProofFiles } from './tiled-log/proofs.js';
import { reportUnlisted, tiledLogResult } from './tiled-log/result.js';
import { judgeRoots } from './tiled-log/roots.js';
import { TiledLogRun } from './tiled-log/run.js';
import { TileReader } from './tiled-log/tile-reader.js';

export interface TiledLogOptions extends AdapterOptions {
  readonly layout: Layout;
  /** sumdb tile height (8 for sum.golang.org and for tlog-tiles). */
  readonly height?: number;
}

export async function verifyTiledLog(o: TiledLogOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const layout = o.layout;
  const height = layout === 'tlog-tiles' || layout === 'serverless' ? 8 : (o.height ?? 8);
  const run = new TiledLogRun(openBundle(o.input), layout, height);
  const sig = signaturePaths(o.crossCheck);
  const listing = surveyListing(run.source, layout, height);
  const { origin, extraKeys, checks } = judgeCheckpoints(run, o, sig, readCheckpoints(run, listing.checkpointPaths));
  // Proof files are parsed now, so the tree keeps what they need, and verified once the entries are read.
  const proofs = readProofFiles(run, listing.proofPaths);
  const { wantedSizes, wantedLeaves, trustedSizes } = treeWants(checks, proofs);

  const builder = new TreeBuilder({ hash: nodeSha256, height, wantedSizes, wantedLeaves });
  const reader = new TileReader(run.source);
  const tiles = new HashTiles(run, reader, builder, listing, trustedSizes);
  const entries = new EntryReader(run, reader, listing.listedPartials, o.maxEntryBytes);
  const hasher = new LeafTileHasher(o.crossCheck, run.width);
  await hashAllEntries(run, o, t0, { entries, hasher, builder, tiles });
  const count = builder.size;

  tiles.checkAboveLevel0();
  tiles.reportMissing();
  const cpReports = judgeRoots(run, checks, builder, count);
  const proofReports = verifyProofFiles(run, proofs, { origin, trust: o.trust, sig, builder, count });
  reportUnlisted(run, listing.maybeUnlisted, tiles.compared);
  const result = tiledLogResult(run, o, {
    origin,
    ecdsaKeys: extraKeys.length > 0,
    count,
    entriesBytes: entries.bytes,
    checkpoints: cpReports,
    proofs: proofReports,
  });
  return {
    run: runOf(result, t0, entries.bytes, 0, hashingStat(o.crossCheck)),
    tiles: { layout, count, blockLeaves: run.width, blockRoots: builder.nodeBytes(1) },
  };
}

/**
 * What the verification needs of the container's listing, taken from it in one step: a large log
 * has tens of thousands of files, so the listing itself is let go before the entries are read.
 */
import { type Layout, parseTilePath, type TileRef } from '../../../../shared/tlog/tiles.js';
import { ProofdeskError } from '../../../../shared/verdict/errors.js';
import type { BundleMember, BundleSource } from '../../../platform/bundle-source.js';

/** The checkpoint file names each layout publishes its latest checkpoint under. */
const LATEST: Record<Layout, string> = { 'tlog-tiles': 'checkpoint', sumdb: 'latest', serverless: 'checkpoint' };
const PROOF_FILE = /^(proofs\/)?[A-Za-z0-9._-]+\.(tlog-proof|consistency-proof)$/;

export interface ListingSurvey {
  /** The latest checkpoint, then the earlier ones kept as `<latest>.<N>`, by N. */
  readonly checkpointPaths: readonly string[];
  /** Listed tlog-proof and consistency-proof files, sorted. */
  readonly proofPaths: readonly string[];
  /** Members that are not files of the layout: reported at the end unless read or compared. */
  readonly maybeUnlisted: readonly BundleMember[] | undefined;
  /** Listed partial tiles (`….p/<w>`), for the last entry bundle. */
  readonly listedPartials: readonly string[] | undefined;
  /** Listed level-0 hash tiles by index (paths only, parsed again when compared). */
  readonly listedAt0: ReadonlyMap<number, readonly string[]>;
  /** Listed hash tiles above level 0. */
  readonly listedAbove: ReadonlyArray<readonly [string, TileRef]>;
}

/** Without a listing (one too large to take), only the latest checkpoint and the layout's own paths are read. */
export function surveyListing(source: BundleSource, layout: Layout, height: number): ListingSurvey {
  const members = membersOf(source);
  const listed = members ? new Set(members.filter((m) => m.kind === 'file').map((m) => m.path)) : undefined;
  return {
    checkpointPaths: checkpointPaths(listed, LATEST[layout]),
    proofPaths: listed ? [...listed].filter((p) => PROOF_FILE.test(p)).sort() : [],
    maybeUnlisted: members?.filter(
      (m) => m.kind !== 'directory' && !(m.kind === 'file' && isLayoutPath(layout, m.path, height)),
    ),
    listedPartials: listed ? [...listed].filter((p) => p.includes('.p/')) : undefined,
    ...listedHashTiles(listed, layout, height),
  };
}

function membersOf(source: BundleSource): readonly BundleMember[] | undefined {
  try {
    return source.members();
  } catch (e) {
    if (!(e instanceof ProofdeskError && e.code === 'INPUT_TOO_LARGE')) throw e;
    return undefined;
  }
}

function isLayoutPath(layout: Layout, path: string, height: number): boolean {
  return layout === 'serverless'
    ? /^seq\//.test(path) || /^(leaves|tile)\//.test(path)
    : parseTilePath(layout, path, height) !== undefined;
}

function checkpointPaths(listed: ReadonlySet<string> | undefined, latest: string): string[] {
  const paths = [latest];
  if (listed) {
    const re = new RegExp(`^${latest}\\.(0|[1-9][0-9]*)$`);
    paths.push(
      ...[...listed]
        .filter((p) => re.test(p))
        .sort((a, b) => Number(a.slice(latest.length + 1)) - Number(b.slice(latest.length + 1))),
    );
  }
  return paths;
}

function listedHashTiles(
  listed: ReadonlySet<string> | undefined,
  layout: Layout,
  height: number,
): Pick<ListingSurvey, 'listedAt0' | 'listedAbove'> {
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
  return { listedAt0, listedAbove };
}

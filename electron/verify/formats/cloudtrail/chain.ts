/**
 * The digest chain: each digest names its predecessor by location, hash and signature, and the
 * predecessor must be the digest that comes before it in the same trail.
 */
import { type CloudTrailPrevious, cloudTrailChainId } from '../../../../shared/formats/cloudtrail/digest.js';
import { type Finding, finding } from '../../../../shared/verdict/findings.js';
import { type DigestsByLocation, type LoadedDigest, previousIn } from './digests.js';

export interface ChainCounts {
  /** Digests whose predecessor is in the export. */
  readonly links: number;
  readonly broken: number;
}

/** Judges every digest's link to its predecessor; requires the digests in chain order. */
export function checkChain(digests: readonly LoadedDigest[], byLocation: DigestsByLocation, F: Finding[]): ChainCounts {
  let links = 0;
  let broken = 0;
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i]!;
    const before =
      i > 0 && cloudTrailChainId(digests[i - 1]!.digest) === cloudTrailChainId(d.digest) ? digests[i - 1]! : undefined;
    const link = judgeLink(d, before, byLocation);
    if (link.linked) links++;
    broken += link.problems.length;
    F.push(...link.problems);
  }
  return { links, broken };
}

/** One DIGEST_CHAIN_BROKEN finding per way the link is broken. */
function judgeLink(
  d: LoadedDigest,
  before: LoadedDigest | undefined,
  byLocation: DigestsByLocation,
): { readonly linked: boolean; readonly problems: Finding[] } {
  const prev = d.digest.previous;
  if (!prev) {
    const problems = before
      ? [
          finding(
            'DIGEST_CHAIN_BROKEN',
            { file: d.path },
            `the digest starts a new chain, but ${before.path} precedes it in the same trail`,
            { previous: before.path },
          ),
        ]
      : [];
    return { linked: false, problems };
  }
  const target = previousIn(byLocation, d);
  if (!target) {
    // The chain may begin before the export; a gap inside it is a missing digest.
    const problems = before
      ? [
          finding(
            'DIGEST_CHAIN_BROKEN',
            { file: d.path },
            `the previous digest ${prev.s3Bucket}/${prev.s3Object} is not in the export`,
            { expected: prev.s3Object },
          ),
        ]
      : [];
    return { linked: false, problems };
  }
  return { linked: true, problems: linkProblems(d, prev, target, before) };
}

/** The predecessor is in the export: it must be the one before, with the hash and signature this digest states. */
function linkProblems(
  d: LoadedDigest,
  prev: CloudTrailPrevious,
  target: LoadedDigest,
  before: LoadedDigest | undefined,
): Finding[] {
  const problems: Finding[] = [];
  if (before && target !== before)
    problems.push(
      finding(
        'DIGEST_CHAIN_BROKEN',
        { file: d.path },
        `the digest names ${target.path} as previous, but ${before.path} comes before it`,
        { expected: target.path, actual: before.path },
      ),
    );
  if (prev.hashValue !== target.sha256)
    problems.push(
      finding(
        'DIGEST_CHAIN_BROKEN',
        { file: d.path, path: '$.previousDigestHashValue' },
        `the previous digest ${target.path} is not the one this digest signed`,
        { expected: prev.hashValue, actual: target.sha256 },
      ),
    );
  if (target.signature !== undefined && prev.signature !== target.signature)
    problems.push(
      finding(
        'DIGEST_CHAIN_BROKEN',
        { file: d.path, path: '$.previousDigestSignature' },
        `the previous digest's signature is not the one this digest chains to`,
        { expected: prev.signature, actual: target.signature },
      ),
    );
  return problems;
}

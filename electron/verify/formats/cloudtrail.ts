/**
 * An exported CloudTrail bucket (docs/formats.md "AWS CloudTrail" says exactly what to export):
 * the digest files under `…/CloudTrail-Digest/…`, each with its signature sidecar
 * `<digest>.metadata.json` (`aws s3api head-object` output), the log files they list, and the
 * digest-signing public keys given with --trust (`aws cloudtrail list-public-keys` output).
 *
 * Every log file listed by a digest is one entry of the result, in chain order (oldest digest
 * first, files in listed order), followed by log files no digest lists. Each digest is a
 * checkpoint of the result: trusted when its RSA signature verifies under a trusted key valid at
 * its end time; its "root" matches when every log file it lists is present with its hash.
 *
 * The steps, each a module in cloudtrail/: load the digests with their sidecars (`digests.ts`),
 * judge their signatures newest first (`signatures.ts`), check the chain (`chain.ts`), check the
 * log files each digest lists (`log-files.ts`), and finish the result (`result.ts`).
 */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { finding } from '../../../shared/verdict/findings.js';
import { checkChain } from './cloudtrail/chain.js';
import { loadDigests, locationIndex } from './cloudtrail/digests.js';
import { openCloudTrailExport } from './cloudtrail/export.js';
import { checkLogFiles } from './cloudtrail/log-files.js';
import { cloudTrailResult } from './cloudtrail/result.js';
import { judgeDigestSignatures } from './cloudtrail/signatures.js';
import { type AdapterOptions, type AdapterOutput, runOf } from './common.js';

export async function verifyCloudTrail(a: AdapterOptions): Promise<AdapterOutput> {
  const t0 = Date.now();
  const keys = a.trust.cloudtrailKeys;
  if (keys.length === 0)
    throw new ProofdeskError(
      'USAGE',
      'give the CloudTrail public keys (the output of `aws cloudtrail list-public-keys`) with --trust',
    );
  const ex = openCloudTrailExport(a.input);
  const { digests, bytesRead } = loadDigests(ex);
  const byLocation = locationIndex(digests);
  judgeDigestSignatures(digests, byLocation, keys, ex.findings);
  const chain = checkChain(digests, byLocation, ex.findings);
  const logs = await checkLogFiles(ex, digests, keys, a.signal);
  if (digests.length === 0)
    ex.findings.push(
      finding(
        'NO_CHECKPOINTS',
        { file: ex.source.name },
        'no CloudTrail digest file in the export: no log file can be verified',
      ),
    );
  const result = cloudTrailResult(ex, a, { digests, chain, ...logs });
  return { run: runOf(result, t0, bytesRead + logs.entryBytes) };
}

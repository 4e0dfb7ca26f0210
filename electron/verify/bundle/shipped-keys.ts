/** Step "bundle keys": keys shipped inside a bundle are recognised for reporting and never trusted. */
import type { Manifest } from '../../../shared/bundle/manifest.js';
import { keyFingerprint, parseKey } from '../../../shared/keys/keys.js';
import type { TrustedKey } from '../../../shared/keys/trust.js';
import type { Findings } from './collect.js';
import type { LoadedFile } from './files.js';

export function shippedKeys(
  manifest: Manifest,
  files: ReadonlyMap<string, LoadedFile>,
  trusted: readonly TrustedKey[],
  F: Findings,
): Uint8Array[] {
  const trustedFps = new Set(trusted.map((k) => k.fingerprint));
  const keys: Uint8Array[] = [];
  for (const p of manifest.keys) {
    const lf = files.get(p);
    if (!lf?.bytes) continue;
    try {
      const k = parseKey(lf.bytes.toString('utf8'));
      keys.push(k.publicKey);
      const fp = keyFingerprint(k.publicKey);
      if (!trustedFps.has(fp)) {
        F.add(
          'BUNDLE_KEY_NOT_TRUSTED',
          { file: p },
          `the bundle ships key ${fp.slice(0, 16)}…, which is not among the trusted keys; it is not used`,
          { fingerprint: fp },
        );
      }
    } catch (e) {
      F.add(
        'BUNDLE_KEY_NOT_TRUSTED',
        { file: p },
        `the bundle ships a key file that cannot be parsed (${(e as Error).message}); it is not used`,
      );
    }
  }
  return keys;
}

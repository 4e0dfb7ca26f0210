/**
 * The largest scrypt parameters a key file may have (128·N·r = 1 GiB, with p > 1) unlock: the
 * KDF's memory cap comes from the parameters, not the library's default (which such a file
 * exceeded: exit 4, "maxmem"). In a child process, so its peak memory is its own.
 */
import { describe, expect, it } from 'vitest';
import { repoModule, scriptBounded } from '../../../support/bounded.js';

describe('key file at the memory limit', () => {
  for (const kdf of [
    { N: 2 ** 20, r: 8, p: 2 },
    { N: 2 ** 18, r: 32, p: 2 },
  ]) {
    it(`N = 2^${Math.log2(kdf.N)}, r = ${kdf.r}, p = ${kdf.p} unlocks`, async () => {
      const r = await scriptBounded(
        [
          `import { sealKeyFile, unlockKeyFile } from ${repoModule('electron/keys/keyfile.ts')};`,
          `const k = sealKeyFile(new Uint8Array(32).fill(7), { name: 'Max' }, 'pw', undefined, ${JSON.stringify(kdf)});`,
          'const t = performance.now();',
          `unlockKeyFile(k, 'pw');`,
          'console.log(JSON.stringify({ unlockMs: Math.round(performance.now() - t) }));',
        ].join('\n'),
        { timeoutMs: 300_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      console.log(`scrypt ${JSON.stringify(kdf)}: ${r.stdout.trim()}, peak ${r.maxRssMiB} MiB`);
      expect(r.maxRssMiB).toBeLessThan(1600);
    });
  }
});

/**
 * Loads the optional native hashing addon (native/proofdesk_hash.c, built by `npm ci` through
 * scripts/build-native.mjs where a C compiler is available). Never required: where it is not
 * built, fails to load, or is switched off with PROOFDESK_NATIVE_HASH=0, the caller hashes
 * with node:crypto (electron/platform/batch-hash.ts) and the reason is reported.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

/** The addon's calls (argument checks are repeated inside it). */
export interface NativeHash {
  leaves(buf: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, out: Uint8Array): void;
  links(prevs: Uint8Array, leaves: Uint8Array, has: Uint8Array, count: number, out: Uint8Array): void;
  root(leaves: Uint8Array, n: number, out: Uint8Array): void;
}

export type NativeLoad =
  | { readonly ok: true; readonly native: NativeHash }
  | { readonly ok: false; readonly reason: string };

/** Where the build puts the addon, relative to the package root. */
export const NATIVE_HASH_PATH = ['native', 'build', 'Release', 'proofdesk_hash.node'] as const;

export function loadNativeHash(env: NodeJS.ProcessEnv = process.env): NativeLoad {
  if (env.PROOFDESK_NATIVE_HASH === '0') return { ok: false, reason: 'switched off (PROOFDESK_NATIVE_HASH=0)' };
  let file: string;
  try {
    file = join(packageRoot(), ...NATIVE_HASH_PATH);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (!existsSync(file)) return { ok: false, reason: 'the native addon is not built (native/, npm ci)' };
  try {
    const m = createRequire(import.meta.url)(file) as Partial<NativeHash>;
    if (typeof m.leaves !== 'function' || typeof m.links !== 'function' || typeof m.root !== 'function')
      return { ok: false, reason: 'the native addon lacks its functions' };
    return { ok: true, native: m as NativeHash };
  } catch (e) {
    return { ok: false, reason: `the native addon did not load: ${(e as Error).message.split('\n')[0]}` };
  }
}

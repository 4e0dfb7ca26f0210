/**
 * Resolves a request path to a file of the built renderer, and nothing else: no `..`, no
 * absolute paths, no symbolic links out of the directory. Shared by the Electron app://
 * handler and the local host.
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../../platform/paths.js';
import { contentTypeFor } from '../content-policy.js';

/** Where `npm run build:renderer` writes the renderer. */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The asset for a URL path such as `/assets/index-1234.js`; undefined when there is none. */
export function readAsset(root: string, urlPath: string): Asset | undefined {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (p === '/' || p === '') p = '/index.html';
  if (!p.startsWith('/') || p.includes('\0') || p.split('/').some((c) => c === '..' || c === '.')) return undefined;
  const realRoot = realpathSync(root);
  const full = join(realRoot, ...p.split('/').filter(Boolean));
  if (!existsSync(full)) return undefined;
  const st = lstatSync(full);
  if (!st.isFile()) return undefined;
  const rel = relative(realRoot, realpathSync(full));
  if (rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return { body: readFileSync(full), contentType: contentTypeFor(full) };
}

/**
 * Locates the external test vectors. They live beside the repository in ../shared/vectors
 * (also on CI) and are read in place, never copied into the repo. A missing directory is a
 * hard failure, not a skip: a vector suite that silently runs nothing proves nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS_DIR = resolve(REPO_ROOT, '..', 'shared', 'vectors');

export function vectorPath(...parts: string[]): string {
  const p = join(VECTORS_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`test vector not found: ${p} (expected ../shared/vectors beside the repository)`);
  return p;
}

export function readVectorJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(vectorPath(...parts), 'utf8')) as T;
}

export function readVectorText(...parts: string[]): string {
  return readFileSync(vectorPath(...parts), 'utf8');
}

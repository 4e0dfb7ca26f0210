/** Locations inside the installed package (resources/, the renderer build), from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The directory holding Proofdesk's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'proofdesk') return (cached = dir);
      } catch {
        // not ours; keep looking
      }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot locate the Proofdesk package root');
}

export function resourcePath(...parts: string[]): string {
  return join(packageRoot(), 'resources', ...parts);
}

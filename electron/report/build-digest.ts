/**
 * The digest of Proofdesk's own build, recorded in every attestation so that a reader can tell
 * which code produced a report (docs/report-format.md §5).
 *
 * It is the SHA-256 of a `sha256sum`-style listing — one line "<hex sha256>  <path>\n" per file,
 * sorted by path (byte order) — of:
 *  - scope 'dist' (the installed tool): every dist/**\/*.js file;
 *  - scope 'source' (running from TypeScript, as in development and tests): every
 *    shared/**\/*.ts and electron/**\/*.ts file;
 * plus, in both scopes, resources/fonts/* (they shape the PDF bytes) and package-lock.json
 * (it pins PDFKit and every other dependency). Paths are relative to the package root with '/'.
 * A third party can recompute it with coreutils from the package root:
 *   { find dist -name '*.js' -type f; find resources/fonts -type f; echo package-lock.json; } \
 *     | LC_ALL=C sort | xargs sha256sum | sha256sum
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolBuild } from '../../shared/report/predicate.js';
import { packageRoot } from '../platform/paths.js';

function walk(dir: string, accept: (name: string) => boolean, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, accept, out);
    else if (e.isFile() && accept(e.name)) out.push(p);
  }
}

/** The files the build digest covers, as package-relative '/' paths, sorted by byte order. */
export function buildFiles(root: string, scope: ToolBuild['scope']): string[] {
  const abs: string[] = [];
  if (scope === 'dist') walk(join(root, 'dist'), (n) => n.endsWith('.js'), abs);
  else for (const d of ['shared', 'electron']) walk(join(root, d), (n) => n.endsWith('.ts'), abs);
  walk(join(root, 'resources', 'fonts'), () => true, abs);
  if (existsSync(join(root, 'package-lock.json'))) abs.push(join(root, 'package-lock.json'));
  const rel = abs.map((p) => relative(root, p).split(sep).join('/'));
  // Byte order of the UTF-8 paths, as `LC_ALL=C sort` orders them.
  return rel.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function computeBuildDigest(root: string, scope: ToolBuild['scope']): ToolBuild {
  const files = buildFiles(root, scope);
  const listing = createHash('sha256');
  for (const f of files)
    listing.update(
      `${createHash('sha256')
        .update(readFileSync(join(root, f)))
        .digest('hex')}  ${f}\n`,
    );
  return { sha256: listing.digest('hex'), scope, files: files.length };
}

let cached: ToolBuild | undefined;

/** The running tool's build digest (computed once per process). */
export function toolBuild(): ToolBuild {
  if (cached) return cached;
  // This module runs either compiled (dist/electron/report/build-digest.js) or from source.
  const scope: ToolBuild['scope'] = fileURLToPath(import.meta.url).endsWith('.ts') ? 'source' : 'dist';
  cached = computeBuildDigest(packageRoot(), scope);
  return cached;
}

/** Versions of the third-party components that shape report bytes. */
export function componentVersions(): Record<string, string> {
  // pdfkit's export map hides its package.json; its main file sits in <package>/js/.
  const main = createRequire(import.meta.url).resolve('pdfkit');
  const pkg = JSON.parse(readFileSync(join(dirname(dirname(main)), 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
  };
  if (pkg.name !== 'pdfkit' || typeof pkg.version !== 'string') throw new Error('cannot determine the PDFKit version');
  return { pdfkit: pkg.version };
}

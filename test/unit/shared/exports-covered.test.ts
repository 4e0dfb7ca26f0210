/**
 * Every value a shared/ module exports is imported by at least one test file, so no public
 * function or constant of the platform-free core can go untested again (the review that added
 * this found 72 such functions). An export nothing outside its module uses should not be an
 * export at all; one that is used elsewhere needs a test with known answers.
 *
 * The check reads the sources with plain fs reads and the suites' one import scanner
 * (test/support/imports.ts) for the export and import forms this code base uses. Forms it cannot follow (`export *`, `export default`, a namespace
 * re-export) are reported as failures rather than skipped, so the check cannot be bypassed
 * silently. A name imported from a module that re-exports it (shared/core.ts) counts for the
 * module that declares it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanExports, scanImports, sourceFiles, TYPE_ONLY_KINDS, uncovered } from '../../support/imports.js';
import { REPO_ROOT } from '../../support/vectors.js';

describe('the scanner', () => {
  const mod = '/r/shared/m.ts';
  const src = [
    'export function f(): void {}',
    'export async function g(): Promise<void> {}',
    'export const C = 1;',
    'export class K {}',
    'export type T = number;',
    'export interface I { readonly x: number }',
    "export { h as H } from './n.js';",
    'const local = 3;',
    'type Local = string;',
    'export { local as L, type Local };',
  ].join('\n');
  const modules = new Map([
    [mod, scanExports(mod, src)],
    ['/r/shared/n.ts', scanExports('/r/shared/n.ts', 'export function h(): void {}\nexport const unused = 2;')],
  ]);

  it('reads declarations with their kinds and re-exports with their origin', () => {
    const m = modules.get(mod)!;
    expect(m.declared.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'function f',
      'function g',
      'const C',
      'class K',
      'type T',
      'interface I',
      'const L',
      'type Local',
    ]);
    expect(m.reExports).toEqual([{ module: mod, name: 'H', from: '/r/shared/n.ts', fromName: 'h', typeOnly: false }]);
    expect(m.unsupported).toEqual([]);
  });

  it('reports every value export no test imports, and only those', () => {
    const test = '/r/test/unit/x.test.ts';
    const imports = scanImports(
      test,
      "import { f, type C } from '../../shared/m.js';\nimport { H } from '../../shared/m.js';\nconst { K } = await import('../../shared/m.js');",
    );
    // C is imported as a type only, which tests nothing; h counts through its re-export H.
    expect(uncovered(modules, imports, '/r')).toEqual([
      'shared/m.ts: C',
      'shared/m.ts: L',
      'shared/m.ts: g',
      'shared/n.ts: unused',
    ]);
    const all = scanImports(
      test,
      "import * as m from '../../shared/m.js';\nimport { unused } from '../../shared/n.js';\nm.f(); m.g(); m.C; new m.K(); m.H(); m.L;",
    );
    expect(uncovered(modules, all, '/r')).toEqual([]);
  });

  it('refuses export forms it cannot follow', () => {
    const m = scanExports(
      mod,
      "export * from './n.js';\nexport default function main() {}\nexport const { a, b } = pair;\n",
    );
    expect(m.unsupported).toEqual(['export default main', "export * from './n.js'", 'export const { a, b }']);
  });
});

describe('shared/ exports', () => {
  it('every function, class and constant exported by shared/ is imported by a test', () => {
    const sharedFiles = sourceFiles(join(REPO_ROOT, 'shared'));
    const testFiles = sourceFiles(join(REPO_ROOT, 'test'));
    const modules = new Map(sharedFiles.map((f) => [f, scanExports(f, readFileSync(f, 'utf8'))]));
    const imports = testFiles.flatMap((f) => scanImports(f, readFileSync(f, 'utf8')));
    // A scanner that stopped matching would find nothing to check and pass: guard against that.
    const values = [...modules.values()].flatMap((m) => m.declared.filter((d) => !TYPE_ONLY_KINDS.has(d.kind)));
    expect(values.length).toBeGreaterThan(200);
    expect(uncovered(modules, imports, REPO_ROOT)).toEqual([]);
  });
});

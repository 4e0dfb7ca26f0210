/**
 * The import rule of docs/architecture.md over every .ts/.tsx file under shared/, electron/ and
 * renderer/: one direction between layers, and no cycles, type-only imports included. A
 * failure names the file, the line and the import.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../support/imports.js';
import { REPO_ROOT } from '../support/vectors.js';
import { checkArchitecture, cycles, type SourceSet } from './rules.js';

function repositorySources(): Map<string, string> {
  const files = ['shared', 'electron', 'renderer'].flatMap((d) => sourceFiles(join(REPO_ROOT, d)));
  return new Map(files.map((f) => [relative(REPO_ROOT, f).split(sep).join('/'), readFileSync(f, 'utf8')]));
}

describe('the layer rule', () => {
  const sources = repositorySources();

  it('holds for every import in shared/, electron/ and renderer/, and there are no cycles', () => {
    expect(sources.size).toBeGreaterThan(150);
    expect(checkArchitecture(sources)).toEqual([]);
  });

  it('the scanner sees every import the TypeScript parser sees', () => {
    const missed: string[] = [];
    for (const [file, src] of sources) {
      const ours = new Set(importsOf(src).map((i) => i.spec));
      for (const i of ts.preProcessFile(src, true, true).importedFiles)
        if (!ours.has(i.fileName)) missed.push(`${file}: ${i.fileName}`);
    }
    expect(missed).toEqual([]);
  });
});

describe('the checker itself', () => {
  const base: Array<[string, string]> = [
    ['shared/encoding/bytes.ts', 'export const x = 1;\n'],
    ['electron/platform/file.ts', "import { x } from '../../shared/encoding/bytes.js';\nexport const y = x;\n"],
    ['electron/verify/verify.ts', "import { y } from '../platform/file.js';\nexport const z = y;\n"],
    ['renderer/src/App.tsx', "import type { T } from '../../shared/protocol/ipc.js';\n"],
    ['shared/protocol/ipc.ts', 'export type T = number;\n'],
  ];
  const withFiles = (...extra: Array<[string, string]>): SourceSet => new Map([...base, ...extra]);

  it('passes a clean set', () => {
    expect(checkArchitecture(withFiles())).toEqual([]);
  });

  it('fails a planted wrong-way import, naming the file and the import', () => {
    const set = withFiles(['electron/platform/bad.ts', "import type { z } from '../verify/verify.js';\n"]);
    expect(checkArchitecture(set)).toEqual([
      "electron/platform/bad.ts:1 imports '../verify/verify.js': wrong way, electron/platform is below electron/verify",
    ]);
  });

  it('fails a dynamic import the wrong way, shared/ reaching out, and the renderer reaching past the contract', () => {
    const set = withFiles(
      ['electron/keys/k.ts', "export async function f() {\n  return import('../cli/main.js');\n}\n"],
      ['electron/cli/main.ts', 'export const m = 1;\n'],
      [
        'shared/encoding/node.ts',
        "import { readFileSync } from 'node:fs';\nexport { x } from '../../electron/platform/file.js';\n",
      ],
      ['renderer/src/keys.tsx', "import { x } from '../../shared/encoding/bytes.js';\n"],
      ['electron/verify/ui.ts', "import { app } from 'electron';\n"],
      ['electron/stray.ts', ''],
    );
    const problems = checkArchitecture(set);
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/electron\/keys\/k\.ts:2 imports '\.\.\/cli\/main\.js': wrong way/);
    expect(problems.join('\n')).toMatch(/shared\/encoding\/node\.ts:1 imports 'node:fs'/);
    expect(problems.join('\n')).toMatch(
      /shared\/encoding\/node\.ts:2 imports '\.\.\/\.\.\/electron\/platform\/file\.js'/,
    );
    expect(problems.join('\n')).toMatch(/renderer\/src\/keys\.tsx:1 imports/);
    expect(problems.join('\n')).toMatch(/electron\/verify\/ui\.ts:1 imports 'electron': only electron\/app/);
    expect(problems.join('\n')).toMatch(/electron\/stray\.ts: not in a layer/);
  });

  it('fails a planted cycle, type-only included, and names it', () => {
    const set = withFiles(
      ['electron/case/a.ts', "import type { B } from './b.js';\nexport type A = B;\n"],
      ['electron/case/b.ts', "import { c } from './c.js';\nexport type B = number;\n"],
      ['electron/case/c.ts', "export { type A } from './a.js';\nexport const c = 1;\n"],
    );
    expect(checkArchitecture(set)).toEqual([
      'import cycle: electron/case/a.ts -> electron/case/b.ts -> electron/case/c.ts -> electron/case/a.ts',
    ]);
  });

  it('finds each cycle once, a file importing itself included', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['c']],
      ['d', ['a']],
    ]);
    expect(cycles(edges)).toEqual([['c'], ['a', 'b']]);
  });

  it('reads every import form, comments aside', () => {
    const src = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "export * from './e.js';",
      "export { f } from './f.js';",
      "import './g.js';",
      "const h = await import('./h.js');",
      "type I = typeof import('./i.js');",
      "// import j from './j.js';",
      "/* import k from './k.js'; */",
    ].join('\n');
    expect(importsOf(src).map((i) => `${i.line} ${i.form}${i.typeOnly ? ' type' : ''} ${i.spec}`)).toEqual([
      '1 static ./a.js',
      '2 static type ./b.js',
      '3 static type ./c.js',
      '4 re-export ./e.js',
      '5 re-export ./f.js',
      '6 side-effect ./g.js',
      '7 dynamic ./h.js',
      '8 dynamic type ./i.js',
    ]);
  });
});

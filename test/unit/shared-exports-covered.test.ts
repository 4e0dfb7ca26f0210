/**
 * Every value a shared/ module exports is imported by at least one test file, so no public
 * function or constant of the platform-free core can go untested again (the review that added
 * this found 72 such functions). An export nothing outside its module uses should not be an
 * export at all; one that is used elsewhere needs a test with known answers.
 *
 * The check reads the sources with plain fs reads and a small scanner for the export and import
 * forms this code base uses. Forms it cannot follow (`export *`, `export default`, a namespace
 * re-export) are reported as failures rather than skipped, so the check cannot be bypassed
 * silently. A name imported from a module that re-exports it (shared/core.ts) counts for the
 * module that declares it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/vectors.js';

/*
 * The allow-list: type-only exports, and nothing else. Type aliases and interfaces have no run
 * time behaviour to test; tsc checks every use of them, and the values that carry them are
 * tested. They are exempt by declaration kind, not by name, so that no function, class or
 * constant can ever be listed here.
 */
const TYPE_ONLY_KINDS: ReadonlySet<string> = new Set(['type', 'interface']);

type Kind = 'function' | 'class' | 'const' | 'let' | 'var' | 'enum' | 'type' | 'interface';

interface Declared {
  readonly module: string;
  readonly name: string;
  readonly kind: Kind;
}

interface ReExport {
  /** The module that re-exports, the name it exports, and where the name comes from. */
  readonly module: string;
  readonly name: string;
  readonly from: string;
  readonly fromName: string;
  readonly typeOnly: boolean;
}

interface ModuleExports {
  readonly declared: Declared[];
  readonly reExports: ReExport[];
  /** Export forms the scanner cannot follow: each is a failure. */
  readonly unsupported: string[];
}

interface Imported {
  readonly from: string;
  readonly name: string;
  readonly typeOnly: boolean;
}

/** `a`, `type b`, `c as d` → the imported (or re-exported) names with their type-only flag. */
function specifiers(list: string, wholeTypeOnly: boolean): Array<{ name: string; alias: string; typeOnly: boolean }> {
  return list
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const typeOnly = wholeTypeOnly || /^type\s/.test(s);
      const [name, alias] = s.replace(/^type\s+/, '').split(/\s+as\s+/);
      return { name: name!.trim(), alias: (alias ?? name!).trim(), typeOnly };
    });
}

/** Resolves a relative import specifier ('../x.js') of `file` to the .ts source it names. */
function resolveSpecifier(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return resolve(dirname(file), spec).replace(/\.(m?js|tsx?)$/, '.ts');
}

/** The exports of one module's source text. */
function scanExports(file: string, src: string): ModuleExports {
  const declared: Declared[] = [];
  const reExports: ReExport[] = [];
  const unsupported: string[] = [];
  const decl = /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|const\s+enum|const|let|var|enum|type|interface)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of src.matchAll(decl)) {
    const kind = (m[1] === 'function*' ? 'function' : m[1] === 'const enum' ? 'enum' : m[1]) as Kind;
    if (/^export\s+(?:declare\s+)?default/.test(m[0])) unsupported.push(`export default ${m[2]}`);
    else declared.push({ module: file, name: m[2]!, kind });
  }
  for (const m of src.matchAll(/^export\s+(type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/gm)) {
    if (m[3] === undefined) {
      // `export { a, type B }` of local declarations: exports declared here, by the name exported.
      for (const s of specifiers(m[2]!, m[1] !== undefined)) declared.push({ module: file, name: s.alias, kind: s.typeOnly ? 'type' : 'const' });
      continue;
    }
    const from = resolveSpecifier(file, m[3]);
    if (from === undefined) {
      unsupported.push(`re-export from package ${m[3]}`);
      continue;
    }
    for (const s of specifiers(m[2]!, m[1] !== undefined)) reExports.push({ module: file, name: s.alias, from, fromName: s.name, typeOnly: s.typeOnly });
  }
  for (const m of src.matchAll(/^export\s+((?:const|let|var)\s*[{[][^=\n]*|\*[^;\n]*|default\b[^;\n]*)/gm)) {
    if (!/^default\s+(?:async\s+)?(?:function|class)\b/.test(m[1]!)) unsupported.push(`export ${m[1]!.trim()}`);
  }
  return { declared, reExports, unsupported };
}

/** The names a test file imports from relative modules, by the forms the test suites use. */
function scanImports(file: string, src: string): Imported[] {
  const out: Imported[] = [];
  const add = (spec: string, list: string, typeOnly: boolean) => {
    const from = resolveSpecifier(file, spec);
    if (from === undefined) return;
    for (const s of specifiers(list, typeOnly)) out.push({ from, name: s.name, typeOnly: s.typeOnly });
  };
  // import { a, type b } from '…'; import type { c } from '…'; import d, { e } from '…'; export { f } from '…'
  for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[A-Za-z_$][\w$]*\s*,\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)) add(m[3]!, m[2]!, m[1] !== undefined);
  // const { a, b } = await import('…')
  for (const m of src.matchAll(/\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    add(m[2]!, m[1]!.replace(/:\s*[A-Za-z_$][\w$]*/g, ''), false);
  }
  // import * as ns from '…', counted by the members the file reads: ns.name
  for (const m of src.matchAll(/^\s*import\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from\s*['"]([^'"]+)['"]/gm)) {
    const from = resolveSpecifier(file, m[2]!);
    if (from === undefined) continue;
    for (const u of src.matchAll(new RegExp(`\\b${m[1]!.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g'))) out.push({ from, name: u[1]!, typeOnly: false });
  }
  return out;
}

/**
 * The value exports no test imports, as "module: name". `modules` maps each shared/ source to
 * its exports; `imports` lists every import of every test file.
 */
function uncovered(modules: ReadonlyMap<string, ModuleExports>, imports: readonly Imported[], root: string): string[] {
  // (module, name) → the declaration it stands for, following re-export chains.
  const origin = (module: string, name: string, seen = new Set<string>()): string | undefined => {
    const key = `${module}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const m = modules.get(module);
    if (!m) return undefined;
    if (m.declared.some((d) => d.name === name)) return key;
    const r = m.reExports.find((x) => x.name === name);
    return r ? origin(r.from, r.fromName, seen) : undefined;
  };
  const imported = new Set<string>();
  for (const i of imports) {
    if (i.typeOnly) continue;
    const o = origin(i.from, i.name);
    if (o) imported.add(o);
  }
  const missing: string[] = [];
  for (const [module, m] of modules) {
    for (const d of m.declared) {
      if (TYPE_ONLY_KINDS.has(d.kind)) continue;
      if (!imported.has(`${module}#${d.name}`)) missing.push(`${relative(root, module)}: ${d.name}`);
    }
    for (const u of m.unsupported) missing.push(`${relative(root, module)}: cannot check "${u}" (name each export)`);
    for (const r of m.reExports) {
      if (!r.typeOnly && origin(r.from, r.fromName) === undefined) missing.push(`${relative(root, module)}: re-export ${r.name} names nothing declared`);
    }
  }
  return missing.sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

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
    expect(m.declared.map((d) => `${d.kind} ${d.name}`)).toEqual(['function f', 'function g', 'const C', 'class K', 'type T', 'interface I', 'const L', 'type Local']);
    expect(m.reExports).toEqual([{ module: mod, name: 'H', from: '/r/shared/n.ts', fromName: 'h', typeOnly: false }]);
    expect(m.unsupported).toEqual([]);
  });

  it('reports every value export no test imports, and only those', () => {
    const test = '/r/test/unit/x.test.ts';
    const imports = scanImports(test, "import { f, type C } from '../../shared/m.js';\nimport { H } from '../../shared/m.js';\nconst { K } = await import('../../shared/m.js');");
    // C is imported as a type only, which tests nothing; h counts through its re-export H.
    expect(uncovered(modules, imports, '/r')).toEqual(['shared/m.ts: C', 'shared/m.ts: L', 'shared/m.ts: g', 'shared/n.ts: unused']);
    const all = scanImports(test, "import * as m from '../../shared/m.js';\nimport { unused } from '../../shared/n.js';\nm.f(); m.g(); m.C; new m.K(); m.H(); m.L;");
    expect(uncovered(modules, all, '/r')).toEqual([]);
  });

  it('refuses export forms it cannot follow', () => {
    const m = scanExports(mod, "export * from './n.js';\nexport default function main() {}\nexport const { a, b } = pair;\n");
    expect(m.unsupported).toEqual(['export default main', "export * from './n.js'", 'export const { a, b }']);
  });
});

describe('shared/ exports', () => {
  it('every function, class and constant exported by shared/ is imported by a test', () => {
    const sharedFiles = walk(join(REPO_ROOT, 'shared')).filter((f) => f.endsWith('.ts'));
    const testFiles = walk(join(REPO_ROOT, 'test')).filter((f) => /\.(m?ts|tsx)$/.test(f));
    const modules = new Map(sharedFiles.map((f) => [f, scanExports(f, readFileSync(f, 'utf8'))]));
    const imports = testFiles.flatMap((f) => scanImports(f, readFileSync(f, 'utf8')));
    // A scanner that stopped matching would find nothing to check and pass: guard against that.
    const values = [...modules.values()].flatMap((m) => m.declared.filter((d) => !TYPE_ONLY_KINDS.has(d.kind)));
    expect(values.length).toBeGreaterThan(200);
    expect(uncovered(modules, imports, REPO_ROOT)).toEqual([]);
  });
});

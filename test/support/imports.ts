/**
 * The one import scanner the test suites share: reads the import and export forms of a
 * TypeScript source as text, with plain regular expressions over the source with its comments
 * removed. Used by the architecture test (every import of every source file, to check the
 * layer rule and find cycles), the bundle cache (the sources a generator depends on) and the
 * shared-exports guard (which names each test imports).
 *
 * test/architecture/layers.test.ts checks this scanner against the TypeScript parser's own list
 * of imports for every source file, so a form it misses fails that test instead of passing
 * unseen.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import or re-export of a module, with the 1-based line it starts on. */
export interface ImportRef {
  readonly spec: string;
  readonly line: number;
  /** `import type …`, `export type … from`, `typeof import('…')`: no run-time edge, but an edge all the same. */
  readonly typeOnly: boolean;
  readonly form: 'static' | 're-export' | 'side-effect' | 'dynamic';
  /** What stands between `import`/`export` and `from`: `{ a, type B }`, `type { C }`, `* as ns`, `d, { e }`. */
  readonly clause: string;
}

/**
 * The source with comments blanked out (line breaks kept, so line numbers stay right) and
 * string and template literals left as they are. A quote inside a regular expression literal
 * can mislead it for the rest of that line only, because ' and " strings end at a line break.
 */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n && src[j] !== c && (c === '`' || src[j] !== '\n')) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const lineAt = (src: string, index: number): number => {
  let line = 1;
  for (let k = 0; k < index; k++) if (src.charCodeAt(k) === 10) line++;
  return line;
};

/** Every import, re-export, side-effect import and dynamic `import()` with a literal specifier. */
export function importsOf(source: string): ImportRef[] {
  const src = stripComments(source);
  const out: Array<ImportRef & { readonly at: number }> = [];
  // import x from '…'; import { a, type b } from '…'; import type T from '…'; import * as n from '…'
  // export { a } from '…'; export type { T } from '…'; export * from '…'; export * as n from '…'
  for (const m of src.matchAll(/\b(import|export)\s+(type\s+)?([\w$*{][^'";]*?)\s*\bfrom\s*(['"])([^'"\n]+)\4/g)) {
    const clause = `${m[2] ?? ''}${m[3] ?? ''}`;
    // `import { type a, type b } from` is type-only when every name in it is.
    const names = /^\{([^}]*)\}$/
      .exec((m[3] ?? '').trim())?.[1]
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const allTypes = names !== undefined && names.length > 0 && names.every((s) => /^type\s/.test(s));
    out.push({
      at: m.index,
      spec: m[5] ?? '',
      line: 0,
      typeOnly: m[2] !== undefined || allTypes,
      form: m[1] === 'export' ? 're-export' : 'static',
      clause,
    });
  }
  for (const m of src.matchAll(/\bimport\s*(['"])([^'"\n]+)\1/g))
    out.push({ at: m.index, spec: m[2] ?? '', line: 0, typeOnly: false, form: 'side-effect', clause: '' });
  for (const m of src.matchAll(/(\btypeof\s+)?\bimport\s*\(\s*(['"])([^'"\n]+)\2\s*\)/g)) {
    out.push({ at: m.index, spec: m[3] ?? '', line: 0, typeOnly: m[1] !== undefined, form: 'dynamic', clause: '' });
  }
  return out.sort((a, b) => a.at - b.at).map(({ at, ...r }) => ({ ...r, line: lineAt(src, at) }));
}

/**
 * The file a relative specifier names: sources are ESM with `.js` suffixes naming the `.ts` or
 * `.tsx` file beside them. Undefined for a package or built-in module, or a file that is not there.
 */
export function resolveImport(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), spec);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The .ts and .tsx files below `dir`, as absolute paths in sorted order. */
export function sourceFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(f) ? [p] : [];
    });
  return walk(dir).sort();
}

/** The repository source files `entry` depends on, itself included, as absolute paths in sorted order. */
export function sourceClosure(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [resolve(entry)];
  while (todo.length > 0) {
    const file = todo.pop();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    for (const i of importsOf(readFileSync(file, 'utf8'))) {
      if (!i.spec.startsWith('.')) continue;
      const target = resolveImport(file, i.spec);
      if (target === undefined) throw new Error(`cannot resolve ${i.spec} from ${file}`);
      todo.push(target);
    }
  }
  return [...seen].sort();
}

// ── exported names, for the shared-exports guard (test/unit/shared/exports-covered.test.ts) ──

/*
 * The allow-list: type-only exports, and nothing else. Type aliases and interfaces have no run
 * time behaviour to test; tsc checks every use of them, and the values that carry them are
 * tested. They are exempt by declaration kind, not by name, so that no function, class or
 * constant can ever be listed here.
 */
export const TYPE_ONLY_KINDS: ReadonlySet<string> = new Set(['type', 'interface']);

export type Kind = 'function' | 'class' | 'const' | 'let' | 'var' | 'enum' | 'type' | 'interface';

export interface Declared {
  readonly module: string;
  readonly name: string;
  readonly kind: Kind;
}

export interface ReExport {
  /** The module that re-exports, the name it exports, and where the name comes from. */
  readonly module: string;
  readonly name: string;
  readonly from: string;
  readonly fromName: string;
  readonly typeOnly: boolean;
}

export interface ModuleExports {
  readonly declared: Declared[];
  readonly reExports: ReExport[];
  /** Export forms the scanner cannot follow: each is a failure. */
  readonly unsupported: string[];
}

export interface Imported {
  readonly from: string;
  readonly name: string;
  readonly typeOnly: boolean;
}

/** `a`, `type b`, `c as d` → the imported (or re-exported) names with their type-only flag. */
export function specifiers(
  list: string,
  wholeTypeOnly: boolean,
): Array<{ name: string; alias: string; typeOnly: boolean }> {
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
export function resolveSpecifier(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return resolve(dirname(file), spec).replace(/\.(m?js|tsx?)$/, '.ts');
}

/** The exports of one module's source text. */
export function scanExports(file: string, src: string): ModuleExports {
  const declared: Declared[] = [];
  const reExports: ReExport[] = [];
  const unsupported: string[] = [];
  const decl =
    /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|const\s+enum|const|let|var|enum|type|interface)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of src.matchAll(decl)) {
    const kind = (m[1] === 'function*' ? 'function' : m[1] === 'const enum' ? 'enum' : m[1]) as Kind;
    if (/^export\s+(?:declare\s+)?default/.test(m[0])) unsupported.push(`export default ${m[2]}`);
    else declared.push({ module: file, name: m[2]!, kind });
  }
  for (const m of src.matchAll(/^export\s+(type\s+)?\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/gm)) {
    if (m[3] === undefined) {
      // `export { a, type B }` of local declarations: exports declared here, by the name exported.
      for (const s of specifiers(m[2]!, m[1] !== undefined))
        declared.push({ module: file, name: s.alias, kind: s.typeOnly ? 'type' : 'const' });
      continue;
    }
    const from = resolveSpecifier(file, m[3]);
    if (from === undefined) {
      unsupported.push(`re-export from package ${m[3]}`);
      continue;
    }
    for (const s of specifiers(m[2]!, m[1] !== undefined))
      reExports.push({ module: file, name: s.alias, from, fromName: s.name, typeOnly: s.typeOnly });
  }
  for (const m of src.matchAll(/^export\s+((?:const|let|var)\s*[{[][^=\n]*|\*[^;\n]*|default\b[^;\n]*)/gm)) {
    if (!/^default\s+(?:async\s+)?(?:function|class)\b/.test(m[1]!)) unsupported.push(`export ${m[1]!.trim()}`);
  }
  return { declared, reExports, unsupported };
}

/** The names a test file imports from relative modules, read from the imports importsOf finds. */
export function scanImports(file: string, src: string): Imported[] {
  const out: Imported[] = [];
  const add = (spec: string, list: string, typeOnly: boolean) => {
    const from = resolveSpecifier(file, spec);
    if (from === undefined) return;
    for (const s of specifiers(list, typeOnly)) out.push({ from, name: s.name, typeOnly: s.typeOnly });
  };
  const code = stripComments(src);
  for (const i of importsOf(src)) {
    if (i.form !== 'static' && i.form !== 're-export') continue;
    // import { a, type b } from '…'; import type { c } from '…'; import d, { e } from '…'; export { f } from '…'
    const list = /\{([^}]*)\}/.exec(i.clause)?.[1];
    if (list !== undefined) add(i.spec, list, /^type\s/.test(i.clause));
    // import * as ns from '…', counted by the members the file reads: ns.name
    const ns = /^\*\s+as\s+([A-Za-z_$][\w$]*)$/.exec(i.clause.trim())?.[1];
    const from = resolveSpecifier(file, i.spec);
    if (ns === undefined || from === undefined || i.form !== 'static') continue;
    for (const u of code.matchAll(new RegExp(`\\b${ns.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g')))
      out.push({ from, name: u[1] ?? '', typeOnly: false });
  }
  // const { a, b } = await import('…')
  for (const m of code.matchAll(/\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    add(m[2] ?? '', (m[1] ?? '').replace(/:\s*[A-Za-z_$][\w$]*/g, ''), false);
  }
  return out;
}

/**
 * The value exports no test imports, as "module: name". `modules` maps each shared/ source to
 * its exports; `imports` lists every import of every test file.
 */
export function uncovered(
  modules: ReadonlyMap<string, ModuleExports>,
  imports: readonly Imported[],
  root: string,
): string[] {
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
      if (!r.typeOnly && origin(r.from, r.fromName) === undefined)
        missing.push(`${relative(root, module)}: re-export ${r.name} names nothing declared`);
    }
  }
  return missing.sort();
}

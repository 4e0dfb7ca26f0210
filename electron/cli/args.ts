/**
 * A small, strict command-line parser: each command declares its flags once and gets a typed
 * options object back. Unknown flags, missing values and repeated single-value flags are
 * usage errors (exit code 2), never silently ignored.
 */
import { ProofdeskError } from '../../shared/verdict/errors.js';

export type FlagKind = 'string' | 'strings' | 'boolean' | 'integer';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ValueOf<K extends FlagKind> = K extends 'string'
  ? string | undefined
  : K extends 'strings'
    ? string[]
    : K extends 'boolean'
      ? boolean
      : number | undefined;

export type Parsed<S extends FlagSpecs> = { readonly [K in keyof S]: ValueOf<S[K]['kind']> } & {
  readonly _: readonly string[];
};

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): Parsed<S> {
  const out: Record<string, unknown> = { _: [] as string[] };
  for (const [name, spec] of Object.entries(specs))
    out[name] = spec.kind === 'strings' ? [] : spec.kind === 'boolean' ? false : undefined;
  const byShort = new Map(
    Object.entries(specs)
      .filter(([, s]) => s.short)
      .map(([n, s]) => [s.short!, n]),
  );
  let positionalOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (positionalOnly || !a.startsWith('-') || a === '-') {
      (out._ as string[]).push(a);
      continue;
    }
    if (a === '--') {
      positionalOnly = true;
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
    } else {
      const n = byShort.get(a.slice(1));
      if (!n) throw new ProofdeskError('USAGE', `unknown option ${a}`);
      name = n;
    }
    const spec = specs[name];
    if (!spec) throw new ProofdeskError('USAGE', `unknown option --${name}`);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new ProofdeskError('USAGE', `--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ProofdeskError('USAGE', `--${name} needs a value`);
    if (spec.kind === 'strings') (out[name] as string[]).push(value);
    else {
      if (out[name] !== undefined) throw new ProofdeskError('USAGE', `--${name} given twice`);
      if (spec.kind === 'integer') {
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
          throw new ProofdeskError('USAGE', `--${name} needs an integer, got ${JSON.stringify(value)}`);
        out[name] = Number(value);
      } else out[name] = value;
    }
  }
  return out as Parsed<S>;
}

export function helpText(usage: string, specs: FlagSpecs): string {
  const lines = [usage, ''];
  for (const [name, s] of Object.entries(specs)) {
    const flag = `${s.short ? `-${s.short}, ` : ''}--${name}${s.kind === 'boolean' ? '' : s.kind === 'integer' ? ' <n>' : ' <value>'}`;
    lines.push(`  ${flag.padEnd(30)} ${s.help}`);
  }
  return lines.join('\n');
}

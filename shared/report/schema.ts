/**
 * A small declarative JSON schema checker for attestation payloads. Attestations are signed,
 * but a signature only says who wrote a document, not that it is well-formed: the renderer and
 * the re-run comparison must be able to rely on every field they read. The checker collects
 * every problem with its JSON path; unknown members are ignored (forward compatibility), as in
 * the bundle manifest.
 */
import { assertNever } from '../encoding/assert.js';
import { isObject, Problems, type ValidationProblem } from './problems.js';

export type Schema =
  | { readonly t: 'string'; readonly pattern?: RegExp; readonly oneOf?: readonly string[]; readonly maxLength?: number }
  | { readonly t: 'int'; readonly min?: number; readonly max?: number }
  | { readonly t: 'number' }
  | { readonly t: 'bool' }
  | { readonly t: 'const'; readonly value: string | number | boolean }
  | { readonly t: 'scalar' } // string | number | boolean | null
  | { readonly t: 'object'; readonly props: Readonly<Record<string, Field>> }
  | { readonly t: 'record'; readonly values: Schema; readonly keys?: RegExp }
  | { readonly t: 'array'; readonly items: Schema; readonly minItems?: number; readonly maxItems?: number }
  | { readonly t: 'tuple'; readonly items: readonly Schema[] };

/** A member of an object schema: required unless `optional`. */
export type Field = Schema & { readonly optional?: boolean };

export const str = (o: Omit<Extract<Schema, { t: 'string' }>, 't'> = {}): Schema => ({ t: 'string', ...o });
export const int = (o: Omit<Extract<Schema, { t: 'int' }>, 't'> = {}): Schema => ({ t: 'int', ...o });
export const obj = (props: Readonly<Record<string, Field>>): Schema => ({ t: 'object', props });
export const arr = (items: Schema, o: { minItems?: number; maxItems?: number } = {}): Schema => ({
  t: 'array',
  items,
  ...o,
});
export const opt = (s: Schema): Field => ({ ...s, optional: true });

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Checks `v` against `schema`, appending problems (path, message) to `p`. */
export function checkSchema(v: unknown, schema: Schema, path: string, p: Problems): void {
  switch (schema.t) {
    case 'string':
      if (typeof v !== 'string') return p.add(path, `expected a string, got ${describe(v)}`);
      if (schema.maxLength !== undefined && v.length > schema.maxLength)
        return p.add(path, `string longer than ${schema.maxLength} characters`);
      if (schema.oneOf && !schema.oneOf.includes(v)) return p.add(path, `expected one of ${schema.oneOf.join(', ')}`);
      if (schema.pattern && !schema.pattern.test(v)) return p.add(path, `does not match ${schema.pattern.source}`);
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        return p.add(path, `expected an integer, got ${describe(v)}`);
      if ((schema.min !== undefined && v < schema.min) || (schema.max !== undefined && v > schema.max))
        return p.add(path, `integer out of range`);
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) p.add(path, `expected a number, got ${describe(v)}`);
      return;
    case 'bool':
      if (typeof v !== 'boolean') p.add(path, `expected a boolean, got ${describe(v)}`);
      return;
    case 'const':
      if (v !== schema.value) p.add(path, `expected ${JSON.stringify(schema.value)}`);
      return;
    case 'scalar':
      if (
        !(
          v === null ||
          typeof v === 'string' ||
          typeof v === 'boolean' ||
          (typeof v === 'number' && Number.isFinite(v))
        )
      )
        p.add(path, `expected a string, number, boolean or null, got ${describe(v)}`);
      return;
    case 'object': {
      if (!isObject(v)) return p.add(path, `expected an object, got ${describe(v)}`);
      for (const [k, f] of Object.entries(schema.props)) {
        const child = Object.hasOwn(v, k) ? v[k] : undefined;
        if (child === undefined) {
          if (!f.optional) p.add(`${path}.${k}`, 'missing');
          continue;
        }
        checkSchema(child, f, `${path}.${k}`, p);
      }
      return;
    }
    case 'record': {
      if (!isObject(v)) return p.add(path, `expected an object, got ${describe(v)}`);
      for (const [k, child] of Object.entries(v)) {
        if (schema.keys && !schema.keys.test(k)) p.add(`${path}.${k}`, `unexpected key`);
        else checkSchema(child, schema.values, `${path}.${k}`, p);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(v)) return p.add(path, `expected an array, got ${describe(v)}`);
      if (schema.minItems !== undefined && v.length < schema.minItems)
        return p.add(path, `expected at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && v.length > schema.maxItems)
        return p.add(path, `more than ${schema.maxItems} items`);
      for (let i = 0; i < v.length; i++) {
        checkSchema(v[i], schema.items, `${path}[${i}]`, p);
        // A hostile document can hold millions of bad items; the first hundred problems say enough.
        if (p.list.length >= 100) return;
      }
      return;
    case 'tuple':
      if (!Array.isArray(v) || v.length !== schema.items.length)
        return p.add(path, `expected an array of ${schema.items.length} items`);
      schema.items.forEach((s, i) => {
        checkSchema(v[i], s, `${path}[${i}]`, p);
      });
      return;
    default:
      assertNever(schema, 'schema');
  }
}

export function validate(v: unknown, schema: Schema, path = '$'): readonly ValidationProblem[] {
  const p = new Problems();
  checkSchema(v, schema, path, p);
  return p.list;
}

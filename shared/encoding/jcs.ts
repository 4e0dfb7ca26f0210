/**
 * RFC 8785 JSON Canonicalization Scheme. Equal data gives equal bytes, so signatures over
 * JSON (entry signatures, attestations) do not depend on member order or number spelling.
 *
 * Requires I-JSON input (RFC 7493): finite numbers, strings without lone surrogates,
 * no undefined/function/symbol/bigint values. Violations throw ProofdeskError('INPUT_MALFORMED').
 */
import { ProofdeskError } from '../verdict/errors.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * The deepest nesting canonicalised. A fixed bound, not the call stack's, so that every thread
 * (the main one, each worker) gives the same answer for the same text; canonicalFormProblem
 * names the same bound.
 */
export const MAX_CANONICAL_DEPTH = 1000;

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '$', 0);
  return out.join('');
}

// Lone surrogates are not representable in I-JSON; JSON.stringify would escape them as
// \udXXX, producing text that other canonicalisers reject.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function writeString(s: string, out: string[], path: string): void {
  if (LONE_SURROGATE.test(s)) throw new ProofdeskError('INPUT_MALFORMED', `lone surrogate in string at ${path}`);
  // JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 requires: '"', '\\', and
  // U+0000..U+001F (as \b \t \n \f \r or \u00xx with lowercase hex); all else is literal.
  out.push(JSON.stringify(s));
}

function write(v: unknown, out: string[], path: string, depth: number): void {
  if (v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new ProofdeskError('INPUT_MALFORMED', `non-finite number at ${path}`);
      // RFC 8785 §3.2.2.3: the ECMAScript Number-to-String algorithm, which JSON.stringify
      // implements (and which prints -0 as 0).
      out.push(JSON.stringify(v));
      return;
    case 'string':
      writeString(v, out, path);
      return;
    case 'object': {
      if (depth >= MAX_CANONICAL_DEPTH)
        throw new ProofdeskError(
          'INPUT_MALFORMED',
          `nesting deeper than ${MAX_CANONICAL_DEPTH} levels at ${path.slice(0, 40)}…`,
        );
      if (Array.isArray(v)) {
        out.push('[');
        v.forEach((item, i) => {
          if (i > 0) out.push(',');
          write(item, out, `${path}[${i}]`, depth + 1);
        });
        out.push(']');
        return;
      }
      const obj = v as Record<string, unknown>;
      // RFC 8785 §3.2.3: sort member names by their UTF-16 code units, which is what the
      // default comparison of JavaScript strings does.
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        writeString(k, out, path);
        out.push(':');
        write(obj[k], out, `${path}.${k}`, depth + 1);
      });
      out.push('}');
      return;
    }
    default:
      throw new ProofdeskError('INPUT_MALFORMED', `value of type ${typeof v} is not JSON at ${path}`);
  }
}

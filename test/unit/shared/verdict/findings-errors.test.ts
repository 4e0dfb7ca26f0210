/**
 * The finding model's order and severities (shared/verdict/findings.ts), typed errors crossing a thread
 * boundary as plain data (shared/verdict/errors.ts, through structuredClone as postMessage does), and the
 * exhaustiveness guard (shared/encoding/assert.ts).
 */
import { describe, expect, it } from 'vitest';
import { assertNever } from '../../../../shared/encoding/assert.js';
import { Problems } from '../../../../shared/report/problems.js';
import { checkSchema, type Schema } from '../../../../shared/report/schema.js';
import { type ErrorCode, fromErrorData, ProofdeskError, toErrorData } from '../../../../shared/verdict/errors.js';
import {
  compareFindings,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  finding,
} from '../../../../shared/verdict/findings.js';
import { prng } from '../../../support/fixtures.js';

describe('finding severities', () => {
  it('every code gets the default severity of its FINDING_CODES row', () => {
    const codes = Object.keys(FINDING_CODES) as FindingCode[];
    expect(codes.length).toBeGreaterThan(50);
    for (const code of codes) expect(finding(code, {}, 'm').severity, code).toBe(FINDING_CODES[code][0]);
    expect([
      finding('CHAIN_BROKEN', {}, 'm').severity,
      finding('FILE_UNLISTED', {}, 'm').severity,
      finding('COSIGNATURE_VALID', {}, 'm').severity,
    ]).toEqual(['error', 'warning', 'info']);
  });

  it('carries evidence only when given', () => {
    expect(finding('ROOT_MISMATCH', { file: 'f' }, 'm')).toEqual({
      code: 'ROOT_MISMATCH',
      severity: 'error',
      location: { file: 'f' },
      message: 'm',
    });
    expect('evidence' in finding('ROOT_MISMATCH', {}, 'm')).toBe(false);
    expect(finding('ROOT_MISMATCH', {}, 'm', { expected: 'a' }).evidence).toEqual({ expected: 'a' });
  });
});

describe('compareFindings', () => {
  const f = (
    code: FindingCode,
    location: Finding['location'],
    message = 'm',
    severity?: Finding['severity'],
  ): Finding => ({ ...finding(code, location, message), ...(severity ? { severity } : {}) });

  it('orders by entry (none first), checkpoint size, file, code, offset, path, severity, message', () => {
    const ordered: Finding[] = [
      f('NO_CHECKPOINTS', {}),
      f('CHECKPOINT_ORDER', { checkpointSize: 3 }),
      f('CHECKPOINT_ORDER', { checkpointSize: 3, file: 'a' }),
      f('CHECKPOINT_ORDER', { checkpointSize: 3, file: 'b' }),
      f('ROOT_MISMATCH', { checkpointSize: 3, file: 'b' }),
      f('CHAIN_BROKEN', { entry: 0 }),
      f('CHAIN_BROKEN', { entry: 0, offset: 10 }),
      f('CHAIN_BROKEN', { entry: 0, offset: 11 }),
      f('CHAIN_BROKEN', { entry: 0, offset: 11, path: '$.a' }),
      f('CHAIN_BROKEN', { entry: 0, offset: 11, path: '$.b' }),
      f('CHAIN_BROKEN', { entry: 0, offset: 11, path: '$.b' }, 'm', 'warning'),
      f('CHAIN_BROKEN', { entry: 0, offset: 11, path: '$.b' }, 'n', 'warning'),
      f('SEQ_GAP', { entry: 1 }),
      f('ENTRY_MALFORMED', { entry: 2 }),
      f('ENTRY_MALFORMED', { entry: 10 }),
    ];
    const rand = prng(7);
    for (let t = 0; t < 50; t++) {
      const shuffled = [...ordered];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(shuffled.sort(compareFindings)).toEqual(ordered);
    }
  });

  it('is a consistent total order: antisymmetric, and zero only for equal findings', () => {
    const all = [
      f('CHAIN_BROKEN', { entry: 1 }),
      f('CHAIN_BROKEN', { entry: 1 }, 'x'),
      f('SEQ_GAP', { entry: 1 }),
      f('ROOT_MISMATCH', { checkpointSize: 9 }),
      f('NO_CHECKPOINTS', {}),
    ];
    for (const a of all) {
      for (const b of all) {
        const ab = Math.sign(compareFindings(a, b));
        expect(ab).toBe(-Math.sign(compareFindings(b, a)) || 0);
        expect(ab === 0).toBe(a === b);
      }
    }
    expect(compareFindings(f('CHAIN_BROKEN', { entry: 1 }), f('CHAIN_BROKEN', { entry: 1 }))).toBe(0);
  });
});

describe('errors as data', () => {
  it('a ProofdeskError survives toErrorData → structuredClone → fromErrorData with code, detail and stack', () => {
    const codes: ErrorCode[] = [
      'USAGE',
      'INPUT_UNREADABLE',
      'INPUT_MALFORMED',
      'INPUT_TOO_LARGE',
      'UNSUPPORTED_FORMAT',
      'PATH_UNSAFE',
      'KEY_INVALID',
      'PASSPHRASE_REQUIRED',
      'PASSPHRASE_WRONG',
      'CASE_BUSY',
      'CANCELLED',
      'INTERNAL',
    ];
    for (const code of codes) {
      const e = new ProofdeskError(code, `m ${code}`, { reason: 'R', n: 3, ok: true });
      const back = fromErrorData(structuredClone(toErrorData(e)));
      expect(back).toBeInstanceOf(ProofdeskError);
      expect([back.name, back.code, back.message, back.detail, back.stack]).toEqual([
        'ProofdeskError',
        code,
        `m ${code}`,
        { reason: 'R', n: 3, ok: true },
        e.stack,
      ]);
    }
    // The error itself does not survive a structured clone with its code: that is why the data form exists.
    expect((structuredClone(new ProofdeskError('USAGE', 'm')) as { code?: string }).code).toBeUndefined();
  });

  it('anything else thrown becomes INTERNAL, keeping the name and message it had', () => {
    const t = new TypeError('bad type');
    expect(toErrorData(t)).toEqual({ name: 'TypeError', code: 'INTERNAL', message: 'bad type', stack: t.stack });
    for (const [v, message] of [
      ['a string', 'a string'],
      [42, '42'],
      [undefined, 'undefined'],
      [null, 'null'],
      [{ toString: () => 'obj' }, 'obj'],
    ] as const) {
      expect(toErrorData(v)).toEqual({ name: 'Error', code: 'INTERNAL', message });
    }
    const back = fromErrorData(structuredClone(toErrorData(t)));
    expect([back instanceof ProofdeskError, back.code, back.message]).toEqual([true, 'INTERNAL', 'bad type']);
    const noStack = fromErrorData({ name: 'Error', code: 'CANCELLED', message: 'c' });
    expect([noStack.code, noStack.detail, typeof noStack.stack]).toEqual(['CANCELLED', undefined, 'string']);
  });
});

describe('assertNever', () => {
  it('throws a plain Error when a value the types rule out arrives at run time', () => {
    expect(() => assertNever('surprise' as never)).toThrow(Error);
    expect(() => assertNever({ t: 'x' } as never, 'message')).not.toThrow(ProofdeskError);
    // A real switch that relies on it: a schema node of an unknown kind is a bug, not a problem.
    expect(() => checkSchema(1, { t: 'date' } as unknown as Schema, '$', new Problems())).toThrow(Error);
  });

  it('only accepts never: passing a value of a real type does not compile', () => {
    const check = (x: 'a' | 'b'): string => {
      switch (x) {
        case 'a':
          return 'A';
        case 'b':
          return 'B';
        default:
          return assertNever(x);
      }
    };
    expect([check('a'), check('b')]).toEqual(['A', 'B']);
    // @ts-expect-error: a string is not never; tsc -p tsconfig.node.json checks this line.
    expect(() => assertNever('a')).toThrow(Error);
  });
});

/**
 * The IPC contract: every call's arguments are validated at run time with every problem
 * reported by path, and dispatch turns every outcome into a Result (errors as plain data).
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../../../electron/transport/ipc/backend.js';
import { anyPath } from '../../../../../electron/transport/ipc/path-policy.js';
import { createHandlers, dispatch, toIpcError } from '../../../../../electron/transport/ipc/router.js';
import { CALLS, CHANNELS, isChannel, s, validate } from '../../../../../shared/protocol/ipc.js';
import { ProofdeskError } from '../../../../../shared/verdict/errors.js';

/** The path of each issue ("$.a.b: problem"): the contract is where the problems are, not their wording. */
const paths = (issues: readonly string[] | undefined | false) =>
  (issues || []).map((i) => i.slice(0, i.indexOf(': '))).sort();

describe('argument schemas', () => {
  it('every call takes an object and rejects anything else', () => {
    expect(CHANNELS.length).toBeGreaterThan(20);
    for (const c of CHANNELS) {
      for (const bad of [undefined, null, 1, 'x', []]) {
        const v = validate(CALLS[c].args as never, bad);
        expect(v.ok, `${c} ${JSON.stringify(bad)}`).toBe(false);
      }
    }
  });

  it('collects every problem with its path', () => {
    const v = validate(CALLS['entries.page'].args, { runId: '', from: -1, count: 5000, more: 1 });
    expect(v.ok).toBe(false);
    expect(!v.ok && paths(v.issues)).toEqual(['$.count', '$.from', '$.more', '$.runId']);
  });

  it('a choice needs exactly one member', () => {
    const ref = s.oneOf({ path: s.string({ min: 1 }), text: s.string({ min: 1 }) });
    expect(validate(ref, { path: '/k' })).toEqual({ ok: true, value: { path: '/k' } });
    expect(validate(ref, { path: '/k', text: 'k' }).ok).toBe(false);
    expect(validate(ref, {}).ok).toBe(false);
    const wrongType = validate(ref, { path: 3 });
    expect(!wrongType.ok && paths(wrongType.issues)).toEqual(['$.path']);
  });

  it('numbers must be safe integers; strings are bounded', () => {
    expect(validate(s.int(), 1.5).ok).toBe(false);
    expect(validate(s.int(), Number.NaN).ok).toBe(false);
    expect(validate(s.int(), 2 ** 53).ok).toBe(false);
    expect(validate(s.string({ max: 3 }), 'abcd').ok).toBe(false);
    expect(validate(s.array(s.int(), { max: 2 }), [1, 2, 3]).ok).toBe(false);
  });

  it('channel names are own keys only', () => {
    expect(isChannel('verify.start')).toBe(true);
    for (const c of ['__proto__', 'constructor', 'toString', 'verify', 'VERIFY.START', 1])
      expect(isChannel(c)).toBe(false);
  });
});

describe('dispatch', () => {
  const b = createBackend({ transport: 'local-http', workers: 1, paths: anyPath() });
  const h = createHandlers(b);

  it('has a handler for every call', () => {
    expect(Object.keys(h).sort()).toEqual([...CHANNELS].sort());
  });

  it('answers with a Result: value, typed error, or argument problems', async () => {
    const info = await dispatch(h, 'app.info', {});
    expect(info.ok).toBe(true);
    expect(await dispatch(h, 'no.such', {})).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BAD_REQUEST' }),
    });
    expect(await dispatch(h, 'verify.get', { runId: 'missing' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NOT_FOUND' }),
    });
    expect(await dispatch(h, 'cases.importEvidence', { path: '/x' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'USAGE' }),
    });
    const bad = await dispatch(h, 'verify.start', { bundle: { path: '/x' } });
    expect(bad.ok === false && bad.error.code).toBe('BAD_REQUEST');
    expect(bad.ok === false && paths(bad.error.issues)).toEqual(['$.keys']);
    const dialog = await dispatch(h, 'dialog.open', { kind: 'bundle' });
    expect(dialog.ok === false && dialog.error.code).toBe('UNAVAILABLE');
  });

  it('errors cross as plain data, without stacks', () => {
    // The message is carried unchanged (it is the payload here), so compare with the error's own.
    const typed = new ProofdeskError('KEY_INVALID', 'bad key');
    expect(toIpcError(typed)).toEqual({ code: 'KEY_INVALID', message: typed.message });
    const untyped = new TypeError('boom');
    expect(toIpcError(untyped)).toEqual({ code: 'INTERNAL', message: untyped.message });
    expect(toIpcError('text')).toEqual({ code: 'INTERNAL', message: 'text' });
  });
});

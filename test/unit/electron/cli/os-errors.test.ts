/** Which errors are failures of the machine (one line, exit 2) and which are bugs (exit 4). */
import { openSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ordinaryFailure } from '../../../../electron/cli/os-errors.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('ordinaryFailure', () => {
  it('names the cause, the path and the call of a system error', () => {
    expect(ordinaryFailure(thrown(() => openSync('/no/such/file', 'r')))).toBe(
      'no such file or directory: /no/such/file (ENOENT in open)',
    );
    expect(ordinaryFailure(thrown(() => readFileSync('/proc')))).toBe('is a directory (EISDIR in read)');
    const busy = Object.assign(new Error('listen EADDRINUSE'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 8080,
    });
    expect(ordinaryFailure(busy)).toBe('the address is already in use: 127.0.0.1:8080 (EADDRINUSE in listen)');
  });

  it('takes SQLite errors of the machine, and leaves bugs alone', () => {
    const db = new Database(':memory:');
    expect(ordinaryFailure(thrown(() => db.exec('SELECT * FROM missing')))).toBeUndefined();
    db.close();
    expect(ordinaryFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(
      'the case database: database or disk is full (SQLITE_FULL)',
    );
    expect(ordinaryFailure(new TypeError('x is undefined'))).toBeUndefined();
    expect(ordinaryFailure('a string')).toBeUndefined();
  });
});

/**
 * `--passphrase-file` is read like every other input: a regular file of bounded size. A named
 * pipe (real FIFO, with a releaser so a regression returns late instead of hanging), /dev/zero,
 * a folder, a missing file and an oversized file each end in one line and exit 2, promptly, in a
 * real `proofdesk keygen` process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliBounded, oneLine } from '../../../support/bounded.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';
import { makeFifo, PROMPT_MS, stopReleasers } from '../../../support/hostile-fs.js';

const tmp = makeTempDir('proofdesk-passphrase-');
afterAll(() => {
  stopReleasers();
  removeDir(tmp);
});

/** A process that does nothing (`--version`): start-up through tsx is not the read. */
let startupMs = 0;
beforeAll(async () => {
  startupMs = (await cliBounded(['--version'], { timeoutMs: 60_000 })).ms;
});

describe('--passphrase-file', () => {
  const fifo = join(tmp, 'pass.fifo');
  makeFifo(fifo);
  mkdirSync(join(tmp, 'folder'));
  writeFileSync(join(tmp, 'huge'), Buffer.alloc(64 * 1024 + 1, 0x61));
  writeFileSync(join(tmp, 'good'), 'a long enough passphrase\n');

  const cases: Array<[string, string, RegExp]> = [
    ['a named pipe', fifo, /is a named pipe, not a regular file/],
    ['/dev/zero', '/dev/zero', /is a device, not a regular file/],
    ['a folder', join(tmp, 'folder'), /is a directory, not a regular file/],
    ['a missing file', join(tmp, 'nothing'), /passphrase file not found/],
    ['a file over the limit', join(tmp, 'huge'), /the limit is 65536/],
  ];
  for (const [what, file, message] of cases) {
    it(`${what}: one line, exit 2, at once`, async () => {
      const r = await cliBounded(['keygen', '--out', join(tmp, 'k'), '--passphrase-file', file], {
        timeoutMs: 20_000,
      });
      expect(r.timedOut, `${r.ms} ms`).toBe(false);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.ms).toBeLessThan(startupMs * 1.5 + PROMPT_MS);
      expect(r.maxRssMiB ?? 0).toBeLessThan(400);
    });
  }

  it('a regular file still works (one trailing newline dropped)', async () => {
    const r = await cliBounded(['keygen', '--out', join(tmp, 'ok'), '--passphrase-file', join(tmp, 'good')], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

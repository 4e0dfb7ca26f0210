/** The path policies: roots with links resolved, the Electron app's chosen paths with a confirmation, path arguments found at any depth. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  anyPath,
  ChosenPaths,
  forbidden,
  PATH_KEYS,
  pathArgs,
  realish,
  underRoots,
} from '../../../../../electron/transport/ipc/path-policy.js';
import { makeTempDir, removeDir } from '../../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-path-policy-');
afterAll(() => removeDir(tmp));
const root = join(tmp, 'root');
const other = join(tmp, 'other');
mkdirSync(root);
mkdirSync(other);
writeFileSync(join(other, 'secret'), 's');
symlinkSync(other, join(root, 'out'));

const refusal = expect.objectContaining({ ipcCode: 'FORBIDDEN' });

describe('path arguments', () => {
  it('are found at any depth under the path keys of the contract', () => {
    expect([...PATH_KEYS].sort()).toEqual(['dir', 'keyPath', 'outDir', 'path']);
    expect(
      pathArgs({
        bundle: { path: '/a' },
        keys: [{ path: '/b' }, { text: 'k' }],
        keyPath: '/c',
        outDir: '/d',
        dir: '/e',
      }),
    ).toEqual(['/a', '/b', '/c', '/d', '/e']);
    expect(pathArgs({ runId: 'x', query: '/not/a/path' })).toEqual([]);
  });

  it('realish resolves links as far as the path exists and keeps the rest', () => {
    expect(realish(join(root, 'out', 'secret'))).toBe(join(realish(other), 'secret'));
    expect(realish(join(root, 'new', 'case'))).toBe(join(realish(root), 'new', 'case'));
    expect(forbidden('/x', 'why')).toMatchObject({ ipcCode: 'FORBIDDEN', message: '/x: why' });
  });
});

describe('underRoots', () => {
  const p = underRoots([root]);
  it('accepts the root and what lies under it, even what does not exist yet', async () => {
    await expect(p.check(root)).resolves.toBeUndefined();
    await expect(p.check(join(root, 'case', 'new'))).resolves.toBeUndefined();
  });
  it('refuses other folders, a link out of the root, a sibling with the root as prefix, relative paths', async () => {
    for (const path of [other, join(root, 'out', 'secret'), `${root}-evil`, 'relative/path', join(root, '..', 'other')])
      await expect(p.check(path), path).rejects.toEqual(refusal);
  });
});

describe('ChosenPaths (the Electron app)', () => {
  it('accepts chosen paths and what lies inside; asks for any other and remembers a yes', async () => {
    const asked: string[] = [];
    let answer = false;
    const p = new ChosenPaths(async (path) => {
      asked.push(path);
      return answer;
    });
    p.allow(root);
    p.allow('relative'); // not a path the dialog gives: ignored
    await expect(p.check(join(root, 'x'))).resolves.toBeUndefined();
    await expect(p.check(join(other, 'secret'))).rejects.toEqual(refusal);
    await expect(p.check(join(root, 'out', 'secret'))).rejects.toEqual(refusal);
    answer = true;
    await expect(p.check(join(other, 'secret'))).resolves.toBeUndefined();
    answer = false;
    await expect(p.check(join(other, 'secret'))).resolves.toBeUndefined();
    expect(asked).toEqual([
      join(realish(other), 'secret'),
      join(realish(other), 'secret'),
      join(realish(other), 'secret'),
    ]);
    await expect(anyPath().check('/anything')).resolves.toBeUndefined();
  });
});

/**
 * Desktop conventions (desktop.ts, security.ts): the application menu has no Reload or
 * developer tools in a packaged build, the window's developer tools exist only when asked for,
 * and a launch's path to open is found among its arguments. No Electron binary is needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { launchPath, menuTemplate } from '../../../../electron/app/desktop.js';
import { windowOptions } from '../../../../electron/app/security.js';
import { makeTempDir, removeDir } from '../../../support/fixtures.js';

const tmp = makeTempDir('proofdesk-desktop-');
afterAll(() => removeDir(tmp));

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [
    ...(i.role ? [i.role] : []),
    ...(Array.isArray(i.submenu) ? roles(i.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

describe('application menu', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`${platform}: packaged, no reload and no developer tools; from source, both`, () => {
      const packaged = roles(menuTemplate({ packaged: true, platform, name: 'Proofdesk' }));
      const dev = roles(menuTemplate({ packaged: false, platform, name: 'Proofdesk' }));
      for (const r of ['reload', 'forceReload', 'toggleDevTools']) {
        expect(packaged).not.toContain(r);
        expect(dev).toContain(r);
      }
      // Copy and paste work, and the app can be quit from the menu.
      expect(packaged).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll', 'quit']));
    });
  }
});

describe('window', () => {
  it('has developer tools only when asked for', () => {
    expect(windowOptions('/p/preload.cjs').webPreferences?.devTools).toBe(false);
    expect(windowOptions('/p/preload.cjs', { devTools: true }).webPreferences?.devTools).toBe(true);
  });
});

describe('the path a launch asks to open', () => {
  const caseDir = join(tmp, 'my case');
  mkdirSync(caseDir);
  writeFileSync(join(tmp, 'export.tar'), '');
  it('is the last existing argument after the app’s own, switches skipped', () => {
    expect(launchPath(['/opt/Proofdesk/proofdesk', '--no-sandbox', caseDir], true, '/')).toBe(caseDir);
    expect(launchPath(['/usr/bin/electron', '/app', '--inspect', 'export.tar'], false, tmp)).toBe(
      join(tmp, 'export.tar'),
    );
    // The app's own directory (from source) is not a path to open.
    expect(launchPath(['/usr/bin/electron', tmp], false, '/')).toBeUndefined();
    expect(launchPath(['/opt/Proofdesk/proofdesk', join(tmp, 'missing')], true, '/')).toBeUndefined();
    expect(launchPath(['/opt/Proofdesk/proofdesk'], true, '/')).toBeUndefined();
  });
});

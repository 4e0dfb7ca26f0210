/**
 * Desktop conventions of the app, as pure functions (Electron's types only, so they are tested
 * without Electron): the minimal application menu — no Reload or developer tools in a packaged
 * build — and which path a launch or a second launch asks the app to open.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly packaged: boolean;
  readonly platform: NodeJS.Platform;
  readonly name: string;
}

/** The application menu: what a desktop app needs (edit roles for copy and paste, quit, window), nothing more. */
export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = o.packaged
    ? [{ role: 'togglefullscreen' }]
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ];
  return [
    ...(mac
      ? [
          {
            label: o.name,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ] satisfies MenuItemConstructorOptions[],
          },
        ]
      : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: view },
    {
      label: 'Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'front' }] : [{ role: 'minimize' }],
    },
  ];
}

/**
 * The path a launch asks to open (a case folder or a bundle given on the command line, or by
 * the system for a second launch): the last argument after the app's own that is not a switch
 * and exists, resolved against the launching process's directory. Packaged: argv = [exe, …];
 * from source: argv = [electron, app-dir, …].
 */
export function launchPath(argv: readonly string[], packaged: boolean, cwd: string): string | undefined {
  const rest = argv.slice(packaged ? 1 : 2).filter((a) => !a.startsWith('-'));
  for (let k = rest.length - 1; k >= 0; k--) {
    const p = isAbsolute(rest[k]!) ? rest[k]! : resolve(cwd, rest[k]!);
    if (existsSync(p)) return p;
  }
  return undefined;
}

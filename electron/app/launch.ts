/** How the app was started: as the desktop app, or as the `proofdesk` CLI inside it. */
import { COMMANDS } from '../cli/main.js';

/**
 * The CLI arguments when the app was started as `proofdesk <command> …`, else undefined.
 * Packaged: argv = [exe, ...args]; from source: argv = [electron, app-dir, ...args].
 * Chromium switches (--inspect…, --no-sandbox…) given before the command are skipped.
 */
export function cliArgs(argv: readonly string[], packaged: boolean): string[] | undefined {
  const rest = argv.slice(packaged ? 1 : 2);
  let k = 0;
  while (k < rest.length && rest[k]!.startsWith('--') && !(rest[k] === '--help' || rest[k] === '--version')) k++;
  const args = rest.slice(k);
  const first = args[0];
  if (first === undefined) return undefined;
  return Object.hasOwn(COMMANDS, first) || first === '--help' || first === '--version' || first === 'help'
    ? args
    : undefined;
}

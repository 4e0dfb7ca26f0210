/** evidence.* and keys.*: what a bundle or key is, before it is used. */
import { inspectBundle } from '../services/inspect.js';
import { inspectKey } from '../services/keys.js';
import type { Backend } from './backend.js';
import type { AreaHandlers } from './router.js';

export function evidenceHandlers(b: Backend): AreaHandlers<'evidence.inspect' | 'keys.inspect'> {
  return {
    'evidence.inspect': (a) => inspectBundle(a.path),
    'keys.inspect': (a) => inspectKey(a, b.caseKey),
  };
}

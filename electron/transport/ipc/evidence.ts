/** evidence.* and keys.*: what a bundle or key is, before it is used. */
import { inspectKey } from '../../services/keys.js';
import type { Backend } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function evidenceHandlers(b: Backend): AreaHandlers<'evidence.inspect' | 'keys.inspect'> {
  return {
    // An archive is hashed whole: in a worker, not in the main process.
    'evidence.inspect': (a) => b.tasks.run('inspect', { path: a.path }),
    'keys.inspect': (a) => inspectKey(a),
  };
}

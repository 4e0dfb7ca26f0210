/** compare.*: two exports of one log through the diff engine. */
import { ProofdeskError } from '../../../shared/verdict/errors.js';
import { resolveKeys } from '../../services/keys.js';
import { type Backend, bundlePath } from './backend.js';
import type { AreaHandlers } from './handler.js';

export function compareHandlers(b: Backend): AreaHandlers<'compare.start' | 'compare.cancel' | 'compare.get'> {
  return {
    'compare.start': (a) => {
      if (a.keys.length === 0)
        throw new ProofdeskError('USAGE', 'choose at least one trusted key: exports cannot vouch for themselves');
      const jobId = b.compares.start({
        a: bundlePath(b, a.a),
        b: bundlePath(b, a.b),
        trusted: resolveKeys(a.keys),
        ...(a.alignBy ? { alignBy: a.alignBy } : {}),
        ...(b.workers !== undefined ? { workers: b.workers } : {}),
      });
      return { jobId };
    },
    'compare.cancel': (a) => ({ cancelled: b.compares.cancel(a.jobId) }),
    'compare.get': (a) => b.compares.view(a.jobId),
  };
}

/** Reads tile files (entry bundles, hash tiles) of a tiled log. */
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import type { BundleSource } from '../../../platform/bundle-source.js';
import { type ReadResult, readIn } from '../common.js';

/**
 * Tiles are read one after another into one reused buffer, used at once and never kept: a fresh
 * buffer per tile file left garbage collection 17% of a run. A read's bytes are valid until the next read.
 */
export class TileReader {
  readonly #source: BundleSource;
  #scratch = Buffer.allocUnsafeSlow(64 * 1024);

  constructor(source: BundleSource) {
    this.#source = source;
  }

  read(path: string, max: number, role: BundleFileReport['role']): ReadResult {
    const r = readIn(this.#source, path, max, role, this.#scratch);
    if (r.kind === 'ok' && r.bytes.length > this.#scratch.length)
      this.#scratch = Buffer.allocUnsafeSlow(Math.min(max, Math.ceil(r.bytes.length * 1.25)));
    return r;
  }
}

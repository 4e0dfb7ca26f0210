/**
 * The end-to-end suite: the built renderer in Debian's Chromium (playwright-core) against
 * the local host, which runs the real services. Files run one after another (each starts
 * its own browser and host), so the suite stays within a 2-core machine.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: resolve(import.meta.dirname, '..', '..'),
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    exclude: ['test/e2e/**/*.slow.e2e.ts', 'node_modules/**'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

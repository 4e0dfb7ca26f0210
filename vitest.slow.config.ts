import { defineConfig } from 'vitest/config';

/** `npm run test:slow`: the measurement suites (*.slow.test.ts) kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

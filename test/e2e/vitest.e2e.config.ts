import { defineConfig } from 'vitest/config';

/**
 * The e2e project on its own (`npx vitest run --config test/e2e/vitest.e2e.config.ts`). The same
 * entry belongs in the root vitest.config.ts `projects` list.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

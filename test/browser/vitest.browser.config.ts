import { defineConfig } from 'vitest/config';

/**
 * The browser project on its own (`npx vitest run --config test/browser/vitest.browser.config.ts`):
 * Chromium driven by playwright-core against the local cloud that test/e2e/global-setup.ts starts.
 * The same entry belongs in the root vitest.config.ts `projects` list.
 */
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});

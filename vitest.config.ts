import { defineConfig } from 'vitest/config';

/**
 * One `npm test` runs every layer. Each project names what it needs started:
 * each integration file gets a DynamoDB Local of its own (test/integration/setup.ts); e2e and browser tests start the
 * whole local cloud once (test/e2e/global-setup.ts).
 */
export default defineConfig({
  test: {
    // Function logs are asserted on where they matter; elsewhere they would drown the report.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'handlers', include: ['test/handlers/**/*.test.ts'], setupFiles: ['test/handlers/setup.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/integration/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each file starts its own DynamoDB Local (setup.ts). Two bursts at once on a 2-core machine
          // (500 answers here, 500 during a capacity edit there) time each other out, which measures
          // the machine, not Cumbre: files run one after another, each its requests concurrently.
          fileParallelism: false,
        },
      },
      {
        // One local cloud (the synthesized stack on emulators) serves the end-to-end and browser tests.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

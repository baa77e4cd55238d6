import { defineConfig } from 'vitest/config';

// Two projects: unit tests live beside the code and use no sockets or only port 0; system
// tests in test/ boot the whole system as real processes once (globalSetup) and share it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{platform,subgraphs,services,gateway,bff-web,bff-mobile}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 15_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 90_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
    ],
  },
});

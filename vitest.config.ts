import { defineConfig } from 'vitest/config';

// Vite would load graphql's ESM build into test files but Node loads its CommonJS build into
// external packages (Apollo Server, graphql-tools): two graphql realms, whose schemas and types
// fail each other's instanceof checks. Tests get the one build Node uses in production.
const oneGraphQL = { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] };

// Two projects: unit tests live beside the code and use no sockets or only port 0; system
// tests in test/ boot the whole system as real processes once (globalSetup) and share it.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: oneGraphQL,
        test: {
          name: 'unit',
          include: ['{platform,subgraphs,services,gateway,bff-kit,bff-web,bff-mobile,bench}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 15_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
      {
        resolve: oneGraphQL,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
    ],
  },
});

import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Vite would load graphql's ESM build into test files but Node loads its CommonJS build into
// external packages (Apollo Server, graphql-tools): two graphql realms, whose schemas and types
// fail each other's instanceof checks. Tests get the one build Node uses in production.
// Workspace packages export their TypeScript sources under the `edgeway-source` condition and
// their built dist/ otherwise: tests run the sources, no build needed. Vitest also hands these
// conditions to Node, so `module` (bundler-only ESM builds) stays out, as in Vitest's defaults.
const resolve = {
  alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  conditions: ['edgeway-source', ...defaultServerConditions.filter((c) => c !== 'module')],
};
const ssr = { resolve: { conditions: resolve.conditions } };

// Two projects: unit tests live beside the code and use no sockets or only port 0; system
// tests in test/ boot the whole system as real processes once (globalSetup) and share it.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['{platform,subgraphs,services,gateway,bff-kit,bff-web,bff-mobile,bench,scripts}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 15_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: ['test/deploy/**'],
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // Services the tests launch inherit this: on two cores shared by parallel test files a
          // busy moment must not read as overload. loadShedding.test.ts sets its own thresholds.
          env: { APOLLO_TELEMETRY_DISABLED: 'true', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' },
        },
      },
      {
        resolve,
        ssr,
        test: {
          // The deployment artifacts (Dockerfile, docker-compose.yml, ops/), run or validated as
          // an operator's tools would; no shared system.
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 15 * 60_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
    ],
  },
});

import { createLogger, createTokenVerifier } from '@edgeway/platform';
import { createTestIssuer } from '@edgeway/platform/testing';
import type { GraphQLFormattedError } from 'graphql';
import { afterEach } from 'vitest';
import { type Bff, buildBffApp } from '../app.js';
import type { BffConfig } from '../config.js';
import { createFakeUpstreams, type FakeOptions } from './fakes.js';

/** The monorepo root (this file is bff-kit/src/testing/harness.ts). */
export const REPO_ROOT = new URL('../../../', import.meta.url);

export interface GraphQLBody {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of many shapes
  data?: any;
  errors?: GraphQLFormattedError[];
  extensions?: { degraded?: unknown[] } & Record<string, unknown>;
}

/** A BFF over fake upstreams, served through fastify `inject` (no sockets); `config` adds to `NODE_ENV=test`. */
export async function startHarness<Own>(
  bff: Bff<Own>,
  options: FakeOptions = {},
  config: Partial<Pick<BffConfig, 'PROPAGATE_HEADERS'>> = {},
) {
  const issuer = await createTestIssuer();
  const fakes = createFakeUpstreams(REPO_ROOT, options);
  const server = await buildBffApp(
    bff,
    { NODE_ENV: 'test', ...config },
    {
      ...fakes.upstreams,
      verifier: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }),
      logger: createLogger({ service: bff.name, level: 'silent' }),
    },
  );

  async function graphql(
    query: string,
    options: { variables?: Record<string, unknown>; as?: string; headers?: Record<string, string> } = {},
  ) {
    const authorization = options.as ? { authorization: `Bearer ${await issuer.sign(options.as)}` } : {};
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...authorization, ...options.headers },
      payload: JSON.stringify({ query, variables: options.variables }),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() as GraphQLBody };
  }

  return { ...fakes, issuer, graphql, close: () => server.app.close() };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** For a test file: `start(options)` gives each test its own harness, closed after the test. */
export function harnessPerTest<Own>(bff: Bff<Own>): (options?: FakeOptions) => Promise<Harness> {
  let harness: Harness | undefined;
  afterEach(() => harness?.close());
  return async (options = {}) => {
    harness = await startHarness(bff, options);
    return harness;
  };
}

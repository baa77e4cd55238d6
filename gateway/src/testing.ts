// For the gateway's tests: the five real subgraphs on free ports, and a gateway over them.
import type { AddressInfo } from 'node:net';
import {
  createTokenVerifier,
  defaultEdgeSecurity,
  type HttpServer,
  type Logger,
  parseApiKeys,
  type TokenVerifier,
} from '@edgeway/platform';
import { createTestCredentials, TEST_SIGNING_KEY, type TestIssuer } from '@edgeway/platform/testing';
import * as accounts from '@edgeway/subgraph-accounts';
import * as inventory from '@edgeway/subgraph-inventory';
import * as orders from '@edgeway/subgraph-orders';
import * as products from '@edgeway/subgraph-products';
import * as reviews from '@edgeway/subgraph-reviews';
import { buildGateway, type GatewayApp, type GatewayAppConfig } from './app.js';
import type { ForeignSupergraph } from './testingForeign.js';

const SUBGRAPHS = { accounts, products, reviews, inventory, orders };

export interface RunningSubgraphs {
  /** Each subgraph's /graphql URL, by name. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

/** The project's subgraphs, each listening on a free loopback port, answering the test credentials. */
export async function startSubgraphs(logger: Logger): Promise<RunningSubgraphs> {
  const servers: HttpServer[] = [];
  const urls: Record<string, string> = {};
  for (const [name, subgraph] of Object.entries(SUBGRAPHS)) {
    const server = await subgraph.buildApp({
      logger,
      production: false,
      credentials: createTestCredentials(name).verifier,
    });
    servers.push(server);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    urls[name] = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/graphql`;
  }
  return { urls, close: () => Promise.all(servers.map((s) => s.app.close())).then(() => undefined) };
}

/** A gateway over the committed supergraph, ready for `inject`; `config` overrides the test defaults. */
export async function startTestGateway(
  config: Partial<GatewayAppConfig>,
  deps: { logger: Logger; verify: TokenVerifier },
): Promise<GatewayApp> {
  const gateway = await buildGateway(
    {
      production: false,
      supergraphPath: new URL('../supergraph.graphql', import.meta.url).pathname,
      subgraphUrls: {},
      upstreamTimeoutMs: 2000,
      halfOpenAfterMs: 10_000,
      chaosEnabled: false,
      // A test gateway shares its event loop with the rest of its test file, whose work (a 64 MB
      // answer parsed, a subgraph started) would read as overload: shedding has tests of its own.
      security: { ...defaultEdgeSecurity(), SHED_MAX_EVENT_LOOP_DELAY_MS: 0 },
      apiKeys: parseApiKeys('').entries,
      internalSigningKey: TEST_SIGNING_KEY,
      ...config,
    },
    deps,
  );
  await gateway.app.ready();
  return gateway;
}

/** A GraphQL answer as the tests read it. */
export interface TestAnswer {
  data: Record<string, unknown>;
  errors?: Array<{ message: string; path: string[]; extensions: { code: string } }>;
}

/** A test gateway's answer to one anonymous query (POST /graphql, through `inject`). */
export async function askGateway<T = TestAnswer>(gateway: GatewayApp, query: string): Promise<T> {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: { query },
  });
  return response.json() as T;
}

/**
 * A test gateway over `foreign`, verifying the tokens of `issuer`, with no rate limit and no load
 * shedding (its tests send bursts on purpose); `config` adds or overrides settings.
 */
export function startForeignGateway(
  foreign: ForeignSupergraph,
  issuer: TestIssuer,
  logger: Logger,
  config: Partial<GatewayAppConfig>,
): Promise<GatewayApp> {
  return startTestGateway(
    {
      supergraphPath: foreign.supergraphPath,
      security: { ...defaultEdgeSecurity(), SHED_MAX_EVENT_LOOP_DELAY_MS: 0, RATE_LIMIT_ENABLED: false },
      ...config,
    },
    { logger, verify: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey }) },
  );
}

/** Stops a gateway from `startForeignGateway` and its subgraphs (either may not have started). */
export async function stopForeignGateway(gateway: GatewayApp | undefined, foreign: ForeignSupergraph | undefined) {
  await gateway?.stop();
  await gateway?.app.close();
  await foreign?.close();
}

// For the canary tests: deployments of the reviews subgraph on free ports that count their fetches
// (the canary one marks its answers), and a client that says which deployment answered.
import type { AddressInfo } from 'node:net';
import { defaultEdgeSecurity, type HttpServer, type Logger } from '@edgeway/platform';
import { createTestCredentials, type TestIssuer } from '@edgeway/platform/testing';
import * as reviews from '@edgeway/subgraph-reviews';
import type { GatewayApp } from './app.js';

/** A query with one reviews fetch, all of whose answer comes from it. */
export const REVIEWS_QUERY = '{ topProducts(first: 2) { upc reviews { body } } }';
const MARK = '[canary] ';

/** Test gateways answer every request: no rate limit, no shedding. */
export const unlimited = () => ({
  ...defaultEdgeSecurity(),
  SHED_MAX_EVENT_LOOP_DELAY_MS: 0,
  RATE_LIMIT_ENABLED: false,
});

export interface ReviewsDeployment {
  url: string;
  /** GraphQL requests received; `fail` answers 500 (and /readyz 503, so an open circuit stays open). */
  state: { hits: number; mode: 'ok' | 'fail' };
  close(): Promise<void>;
}

/** A reviews deployment on a free port; `mark` tags each review body it answers with `[canary] `. */
export async function reviewsDeployment(logger: Logger, mark: boolean): Promise<ReviewsDeployment> {
  const state: ReviewsDeployment['state'] = { hits: 0, mode: 'ok' };
  const server: HttpServer = await reviews.buildApp({
    logger,
    production: false,
    credentials: createTestCredentials('reviews').verifier,
  });
  server.app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/graphql') state.hits++;
    if (state.mode === 'fail')
      await reply.code(req.url === '/readyz' ? 503 : 500).send({ errors: [{ message: 'broke' }] });
  });
  if (mark) {
    server.app.addHook('onSend', async (req, _reply, payload) => {
      if (req.url !== '/graphql' || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload;
      return payload.toString().replaceAll('"body":"', `"body":"${MARK}`);
    });
  }
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/graphql`;
  return { state, url, close: () => server.app.close() };
}

/** Asks `REVIEWS_QUERY` as `who` (anonymous when undefined); `served` says which deployment answered. */
export function reviewsClient(gateway: () => GatewayApp, issuer: TestIssuer) {
  const tokens = new Map<string, string>();
  return async (who: string | undefined, headers: Record<string, string> = {}) => {
    if (who !== undefined && !tokens.has(who)) tokens.set(who, await issuer.sign(who));
    const response = await gateway().app.inject({
      method: 'POST',
      url: '/graphql',
      headers: {
        'content-type': 'application/json',
        ...(who !== undefined && { authorization: `Bearer ${tokens.get(who)}` }),
        ...headers,
      },
      payload: { query: REVIEWS_QUERY },
    });
    const body = response.json() as { data?: { topProducts: { reviews: { body: string }[] }[] }; errors?: unknown[] };
    const bodies = body.data?.topProducts.flatMap((p) => p.reviews.map((r) => r.body)) ?? [];
    const served = bodies.length > 0 && bodies.every((b) => b.startsWith(MARK)) ? 'canary' : 'stable';
    return { status: response.statusCode, errors: body.errors, bodies, served };
  };
}

/** Runs `count` calls, `concurrency` at a time. */
export async function many<T>(count: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, k) => one(start + k));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

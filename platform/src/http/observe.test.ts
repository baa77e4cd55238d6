import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { mountGraphQL } from '../graphql/route.js';
import { createGraphQLServer } from '../graphql/server.js';
import { requestDuration, requestErrors, requestsInFlight, requestsTotal } from '../metrics/index.js';
import { configureClientNames, DEFAULT_CLIENT_NAMES, OPERATIONS_PER_CLIENT } from '../metrics/labels.js';
import { capturedLogger } from '../testing/logs.js';
import { createHttpServer } from './server.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, resolve: () => 'world' },
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new AppError('FORBIDDEN', 'not yours');
        },
      },
    },
  }),
});

async function build() {
  const { logger, lines } = capturedLogger('observe-test', 'info');
  const server = createHttpServer({ logger, errorShape: 'graphql' });
  server.app.addHook('onRequest', async (req) => {
    if (req.headers.authorization === 'Bearer bad') throw new AppError('UNAUTHENTICATED', 'bad token');
  });
  const apollo = createGraphQLServer({ source: { schema }, production: false });
  await apollo.start();
  mountGraphQL(server.app, { server: apollo, context: async () => ({}) });
  server.app.get('/v1/things/:id', async () => ({ ok: true }));
  return { ...server, lines };
}

const sample = async (
  metric: { get(): Promise<{ values: Array<{ labels: object; value: number }> }> },
  labels: object,
) =>
  (await metric.get()).values
    .filter((v) => Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value))
    .reduce((sum, v) => sum + v.value, 0);

// The clients this test's traffic names; anything else is "other".
configureClientNames([...DEFAULT_CLIENT_NAMES, 'web-a', 'flood-a', 'steady-b']);

describe('request observation (access log and metrics)', () => {
  it('labels GraphQL requests by the operation the document names, and by client name and version', async () => {
    const { app, lines } = await build();
    const client = { 'apollographql-client-name': 'web-a', 'apollographql-client-version': '1.2' };
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { ...client, 'x-request-id': 'req-1', authorization: 'Bearer secret-token' },
      payload: { query: 'query Greeting { hello }' },
    });
    expect(response.statusCode).toBe(200);
    expect(
      await sample(requestsTotal, {
        operation: 'Greeting',
        client_name: 'web-a',
        client_version: '1.2',
        status: '200',
      }),
    ).toBe(1);
    expect(await sample(requestDuration, { operation: 'Greeting', client_name: 'web-a' })).toBeGreaterThan(0);
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        requestId: 'req-1',
        operationName: 'Greeting',
        clientName: 'web-a',
        clientVersion: '1.2',
        status: 200,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(await sample(requestsInFlight, {})).toBe(0);
  });

  it('counts GraphQL errors by code (field errors and request errors) and errors answered before Apollo', async () => {
    const { app } = await build();
    await app.inject({ method: 'POST', url: '/graphql', payload: { query: 'query Nope { broken }' } });
    await app.inject({ method: 'POST', url: '/graphql', payload: { query: 'query Typo { hullo }' } });
    await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: 'Bearer bad' },
      payload: { query: '{ hello }', operationName: 'Denied' },
    });
    expect(await sample(requestErrors, { operation: 'Nope', code: 'FORBIDDEN' })).toBe(1);
    // Invalid: its name is the client's word only, so it labels nothing ("unknown").
    expect(await sample(requestErrors, { operation: 'Typo', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(0);
    expect(await sample(requestErrors, { operation: 'unknown', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await sample(requestsTotal, { operation: 'Typo' })).toBe(0);
    // Rejected in onRequest, before the body is read: no operation name yet.
    expect(
      await sample(requestsTotal, { operation: 'anonymous', client_name: 'unknown', status: '401' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await sample(requestErrors, { operation: 'anonymous', code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
  });

  it('cannot be flooded: client names from the allow-list, operation names validated and bounded per client', async () => {
    const { app } = await build();
    const post = (client: string, query: string, operationName?: string) =>
      app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'apollographql-client-name': client, 'apollographql-client-version': `v-${query.length}` },
        payload: { query, ...(operationName && { operationName }) },
      });
    // Junk: made-up client names, names of operations that do not validate, made-up operationName.
    for (let i = 0; i < 30; i++) {
      await post(`junk-${i}`, `query Junk${i} { nope }`);
      await post('flood-a', '{ hello }', `Claimed${i}`);
    }
    // Valid operations, past the per-client bound, from one allowed client.
    for (let i = 0; i < OPERATIONS_PER_CLIENT + 20; i++) await post('flood-a', `query Flood${i} { hello }`);
    await post('steady-b', 'query Steady { hello }');
    await post('flood-a', 'query Flood0 { hello }');

    const series = (await requestsTotal.get()).values.map((v) => v.labels as Record<string, string>);
    expect(series.some((l) => String(l.client_name).startsWith('junk-'))).toBe(false);
    expect(series.filter((l) => /^(Junk|Claimed)/.test(String(l.operation)))).toEqual([]);
    expect(await sample(requestsTotal, { client_name: 'other', client_version: 'other' })).toBeGreaterThanOrEqual(30);
    const flood = series.filter((l) => l.client_name === 'flood-a' && /^Flood/.test(String(l.operation)));
    expect(new Set(flood.map((l) => l.operation)).size).toBe(OPERATIONS_PER_CLIENT);
    expect(await sample(requestsTotal, { operation: 'other', client_name: 'flood-a' })).toBe(20);
    // Admitted names keep counting, and another client's operations are not crowded out.
    expect(await sample(requestsTotal, { operation: 'Flood0', client_name: 'flood-a' })).toBe(2);
    expect(await sample(requestsTotal, { operation: 'Steady', client_name: 'steady-b', status: '200' })).toBe(1);
  });

  it('labels REST requests by route, never by the raw URL, and leaves probes out', async () => {
    const { app, lines } = await build();
    await app.inject({ method: 'GET', url: '/v1/things/1' });
    await app.inject({ method: 'GET', url: '/v1/things/2' });
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(await sample(requestsTotal, { operation: 'GET /v1/things/:id', status: '200' })).toBe(2);
    expect(lines.filter((l) => l.msg === 'request').map((l) => l.url)).toEqual(['/v1/things/1', '/v1/things/2']);
  });

  it('answers /readyz 503 as soon as it drains, and closes each connection after its answer', async () => {
    const server = await build();
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    server.startDraining();
    const response = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'draining' });
    // Keep-alive connections must not hold the drain open: every answer now closes its own.
    expect(response.headers.connection).toBe('close');
  });
});

import { Writable } from 'node:stream';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/catalog.js';
import { mountGraphQL } from '../graphql/route.js';
import { createGraphQLServer } from '../graphql/server.js';
import { createLogger } from '../log/logger.js';
import { requestDuration, requestErrors, requestsInFlight, requestsTotal } from '../metrics/index.js';
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
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'observe-test', level: 'info', destination });
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
    // Invalid, but it parsed: still labelled with the name the document gives it.
    expect(await sample(requestErrors, { operation: 'Typo', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await sample(requestsTotal, { operation: 'Typo', status: '400' })).toBe(1);
    // Rejected in onRequest, before the body is read: no operation name yet.
    expect(
      await sample(requestsTotal, { operation: 'anonymous', client_name: 'unknown', status: '401' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await sample(requestErrors, { operation: 'anonymous', code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
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

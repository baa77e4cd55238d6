import type { BaseContext } from '@apollo/server';
import { buildSchema, type GraphQLFieldResolver, type GraphQLObjectType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache } from '../cache/index.js';
import { persistedQueryStore } from '../cache/apq.js';
import { defaultEdgeSecurity, type EdgeSecurityConfig } from '../config/security.js';
import { edgeSecurityOf, installEdge, operationLimitsOf } from '../http/edge.js';
import { createHttpServer } from '../http/server.js';
import { createLogger } from '../log/logger.js';
import { createTestIssuer } from '../testing/tokens.js';
import { createTokenVerifier } from '../auth/verify.js';
import { buildPersistedManifest, installPersistedOperations, sha256 } from './persisted.js';
import { mountGraphQL } from './route.js';
import { createGraphQLServer } from './server.js';

interface Node {
  id: string;
}
const node = (id: string): Node => ({ id });
const schema = buildSchema(/* GraphQL */ `
  type Query {
    node(id: ID!): Node
    nodes(first: Int = 3): [Node!]!
    hello: String
  }
  type Node {
    id: ID!
    name: String!
    child: Node
    friends(first: Int = 2): [Node!]!
  }
`);
const list = (prefix: string, n: number) => Array.from({ length: n }, (_x, i) => node(`${prefix}${i}`));
const resolvers: Record<string, Record<string, GraphQLFieldResolver<Node, unknown, { id: string; first: number }>>> = {
  Query: {
    node: (_, { id }) => node(id),
    nodes: (_, { first }) => list('', first),
    hello: () => 'world',
  },
  Node: {
    name: (n) => `node ${n.id}`,
    child: (n) => node(`${n.id}.c`),
    friends: (n, { first }) => list(`${n.id}.`, first),
  },
};
for (const [type, fields] of Object.entries(resolvers)) {
  const object = schema.getType(type) as GraphQLObjectType;
  for (const [name, resolve] of Object.entries(fields)) object.getFields()[name]!.resolve = resolve;
}

const HOME = 'query Home { nodes { id name } }';
const manifest = buildPersistedManifest([HOME, 'query One($id: ID!) { node(id: $id) { id child { id } } }']);
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function start(
  options: {
    production?: boolean;
    security?: Partial<EdgeSecurityConfig>;
    persisted?: 'off' | 'on' | 'only';
    apq?: boolean;
  } = {},
) {
  const issuer = await createTestIssuer();
  const security = edgeSecurityOf({ ...defaultEdgeSecurity(), ...options.security });
  const logger = createLogger({ service: 'edge-test', level: 'silent' });
  const http = createHttpServer({
    logger,
    errorShape: 'graphql',
    bodyLimit: security.BODY_LIMIT_BYTES,
    trustProxy: security.TRUST_PROXY,
  });
  const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
  await installEdge(http.app, { service: `edge-${Math.random()}`, security, verifier, logger });
  if (options.persisted && options.persisted !== 'off') {
    installPersistedOperations(http.app, { manifest, only: options.persisted === 'only' });
  }
  const apq = createCache({ namespace: `apq-${Math.random()}` });
  const server = createGraphQLServer<BaseContext>({
    source: { schema },
    production: options.production ?? false,
    limits: operationLimitsOf(security),
    ...(options.apq && { persistedQueries: { cache: persistedQueryStore(apq) } }),
  });
  await server.start();
  mountGraphQL(http.app, { server, context: async () => ({}), maxResponseBytes: security.MAX_RESPONSE_BYTES });
  closers.push(async () => {
    await http.app.close();
    await server.stop();
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await http.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json(), text: response.body };
  };
  return { app: http.app, post, apq };
}

const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

describe('anonymous budgets behind a proxy', () => {
  const fromIp = (post: Awaited<ReturnType<typeof start>>['post'], ip: string) =>
    post({ query: '{ hello }' }, { 'x-forwarded-for': ip });

  it('give each forwarded caller its own budget when the proxy is trusted', async () => {
    const { post } = await start({ security: { RATE_LIMIT_ANONYMOUS_MAX: 2, TRUST_PROXY: ['127.0.0.1'] } });
    expect((await fromIp(post, '203.0.113.1')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.1')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.1')).status).toBe(429);
    expect((await fromIp(post, '203.0.113.2')).status).toBe(200);
  });

  it('ignore X-Forwarded-For from an untrusted peer (a client cannot name its own IP)', async () => {
    const { post } = await start({ security: { RATE_LIMIT_ANONYMOUS_MAX: 2 } });
    expect((await fromIp(post, '203.0.113.1')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.2')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.3')).status).toBe(429);
  });

  it('trust a number of hops', async () => {
    const { post } = await start({ security: { RATE_LIMIT_ANONYMOUS_MAX: 1, TRUST_PROXY: 1 } });
    expect((await fromIp(post, '203.0.113.1')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.2')).status).toBe(200);
    expect((await fromIp(post, '203.0.113.2')).status).toBe(429);
  });
});

describe('operation limits', () => {
  it.each([
    ['depth', `{ node(id: "1") { ${'child { '.repeat(12)}id${' }'.repeat(12)} } }`],
    ['aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: hello`).join(' ')} }`],
    ['directives', `{ hello ${'@include(if: true) '.repeat(51)} }`],
    ['cost', '{ nodes(first: 1000) { friends(first: 1000) { id name } } }'],
    ['tokens', `{ ${'hello '.repeat(1001)} }`],
  ])('refuse an operation over the %s limit with 400 OPERATION_LIMIT_EXCEEDED', async (_limit, query) => {
    const { post } = await start();
    const { status, body } = await post({ query });
    expect(status).toBe(400);
    expect(codeOf(body)).toBe('OPERATION_LIMIT_EXCEEDED');
  });

  it('let an operation within every limit through, and follow configuration', async () => {
    const { post } = await start();
    const deepEnough = `{ node(id: "1") { ${'child { '.repeat(8)}id${' }'.repeat(8)} } }`;
    expect((await post({ query: deepEnough })).status).toBe(200);
    const strict = await start({ security: { MAX_DEPTH: 2 } });
    expect(codeOf((await strict.post({ query: '{ node(id: "1") { child { child { id } } } }' })).body)).toBe(
      'OPERATION_LIMIT_EXCEEDED',
    );
  });

  const variableCost = 'query Q($n: Int, $m: Int = 2) { nodes(first: $n) { friends(first: $m) { id name } } }';
  it.each([
    ['a large value', { n: 1000, m: 1000 }],
    ['a large value for one of them', { n: 1000 }],
    ['null (counted at the largest list)', { n: null, m: null }],
    ['a large value as a float', { n: 1e9 }],
  ])('refuse variables that make the cost too high: %s', async (_what, variables) => {
    const { post } = await start();
    const { status, body } = await post({ query: variableCost, variables });
    expect(status).toBe(400);
    expect(codeOf(body)).toBe('OPERATION_LIMIT_EXCEEDED');
  });

  it('let the same operation with small variables through, as with literals', async () => {
    const { post } = await start();
    const small = await post({ query: variableCost, variables: { n: 3, m: 2 } });
    expect(small.status).toBe(200);
    expect(small.body.data.nodes).toHaveLength(3);
    expect((await post({ query: variableCost, variables: { n: 3 } })).status).toBe(200);
    // The same document, once cheap and once expensive: its cost is not cached across requests.
    expect(codeOf((await post({ query: variableCost, variables: { n: 500, m: 500 } })).body)).toBe(
      'OPERATION_LIMIT_EXCEEDED',
    );
  });

  it('refuse an answer over the response budget with 400 OPERATION_LIMIT_EXCEEDED, and send one under it', async () => {
    const { post } = await start({ security: { MAX_RESPONSE_BYTES: 2000 } });
    const large = await post({ query: '{ nodes(first: 100) { id name } }' });
    expect(large.status).toBe(400);
    expect(large.headers['cache-control']).toBe('no-store');
    expect(codeOf(large.body)).toBe('OPERATION_LIMIT_EXCEEDED');
    expect(large.text.length).toBeLessThan(300);
    const small = await post({ query: '{ nodes(first: 10) { id name } }' });
    expect(small.status).toBe(200);
    expect(small.body.data.nodes).toHaveLength(10);
  });

  it('refuse a fragment cycle as a validation error without hanging', async () => {
    const { post } = await start();
    const { status, body } = await post({
      query:
        'query Q { node(id: "1") { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }',
    });
    expect(status).toBe(400);
    expect(codeOf(body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the edge', () => {
  it.each([
    ['an unknown operation name', { query: 'query A { hello }', operationName: 'B' }],
    ['two operations without a name', { query: 'query A { hello } query B { hello }' }],
    ['a subscription on a schema without subscriptions', { query: 'subscription { hello }' }],
  ])('refuses %s with 400 BAD_USER_INPUT', async (_what, body) => {
    const { post } = await start();
    const { status, body: answer } = await post(body);
    expect(status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
  });

  it('refuses a batch with a coded 400', async () => {
    const { post } = await start();
    const { status, body } = await post([{ query: '{ hello }' }, { query: '{ hello }' }]);
    expect(status).toBe(400);
    expect(codeOf(body)).toBe('BAD_USER_INPUT');
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const { post } = await start({ security: { BODY_LIMIT_BYTES: 1024 } });
    const { status, body } = await post({ query: '{ hello }', variables: { pad: 'x'.repeat(2000) } });
    expect(status).toBe(413);
    expect(codeOf(body)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('allows only the listed CORS origins, and exposes the rate-limit headers to them', async () => {
    const { app } = await start({ security: { CORS_ORIGINS: ['https://app.example'] } });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/graphql',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    const answer = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: 'https://app.example', 'content-type': 'application/json' },
      payload: '{"query":"{ hello }"}',
    });
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(answer.headers['access-control-expose-headers']).toMatch(/ratelimit-remaining/);
  });

  it('sends no CORS headers without an allow-list', async () => {
    const { app } = await start();
    const answer = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { origin: 'https://app.example', 'content-type': 'application/json' },
      payload: '{"query":"{ hello }"}',
    });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('in production: no introspection, no suggestions, no stack traces', async () => {
    const { post } = await start({ production: true });
    const introspection = await post({ query: '{ __schema { types { name } } }' });
    expect(introspection.status).toBe(400);
    expect(codeOf(introspection.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await post({ query: '{ helo }' });
    expect(typo.text).not.toMatch(/Did you mean/);
    expect(typo.text).not.toMatch(/stacktrace|\.ts:\d+|at /);
    const dev = await start();
    expect((await dev.post({ query: '{ helo }' })).text).toMatch(/Did you mean/);
  });
});

describe('persisted operations', () => {
  const home = manifest.operations.find((op) => op.name === 'Home')!;
  const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

  it('build an Apollo manifest with sha256 ids of canonical bodies', () => {
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((op) => [op.name, op.type])).toEqual([
      ['Home', 'query'],
      ['One', 'query'],
    ]);
    expect(home.id).toBe(sha256(home.body));
    expect(buildPersistedManifest(['query   Home {nodes{id\nname}}']).operations[0]!.id).toBe(home.id);
    expect(() => buildPersistedManifest(['{ hello }'])).toThrow(/named operation/);
  });

  it('run by id, and in persisted-only mode refuse everything else with PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const { post, app } = await start({ persisted: 'only' });
    const ok = await post(byId(home.id));
    expect(ok.status).toBe(200);
    expect(ok.body.data.nodes).toHaveLength(3);
    expect((await post({ query: home.body })).status).toBe(200);
    for (const refused of [
      { query: '{ hello }' },
      byId(sha256('{ hello }')),
      { query: '{ hello }', ...byId(sha256('{ hello }')) },
    ]) {
      const answer = await post(refused);
      expect(answer.status).toBe(400);
      expect(codeOf(answer.body)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    const get = await app.inject({
      method: 'GET',
      url: `/graphql?extensions=${encodeURIComponent(JSON.stringify(byId(home.id).extensions))}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.statusCode).toBe(200);
    expect(get.json().data.nodes).toHaveLength(3);
    const getOther = await app.inject({
      method: 'GET',
      url: '/graphql?query=%7Bhello%7D',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(getOther.statusCode).toBe(400);
    expect(codeOf(getOther.json())).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('outside persisted-only mode serve manifest ids and any other operation', async () => {
    const { post } = await start({ persisted: 'on' });
    expect((await post(byId(home.id))).body.data.nodes).toHaveLength(3);
    expect((await post({ query: '{ hello }' })).body.data).toEqual({ hello: 'world' });
  });

  it('support automatic persisted queries in the given store', async () => {
    const { post, apq } = await start({ apq: true });
    const query = '{ hello }';
    const hash = sha256(query);
    const miss = await post(byId(hash));
    expect(codeOf(miss.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query, ...byId(hash) })).body.data).toEqual({ hello: 'world' });
    expect((await post(byId(hash))).body.data).toEqual({ hello: 'world' });
    expect(await apq.get(`apq:${hash}`)).toBe(query);
    const mismatch = await post({ query: '{ __typename }', ...byId(hash) });
    expect(mismatch.status).toBe(400);
    expect(codeOf(mismatch.body)).toBe('BAD_USER_INPUT');
  });
});

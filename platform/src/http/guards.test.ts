import type { AddressInfo } from 'node:net';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiKeys, sha256Hex } from '../auth/apiKeys.js';
import { createTokenVerifier } from '../auth/verify.js';
import { defaultEdgeSecurity, type EdgeSecurityConfig } from '../config/security.js';
import { buildPersistedManifest, installPersistedOperations } from '../graphql/persisted.js';
import { mountGraphQL } from '../graphql/route.js';
import { createGraphQLServer } from '../graphql/server.js';
import { buildSubgraphServer } from '../graphql/subgraph.js';
import { createLogger } from '../log/logger.js';
import { createTestCredentials } from '../testing/credentials.js';
import { rawRequest } from '../testing/rawHttp.js';
import { createTestIssuer } from '../testing/tokens.js';
import { edgeSecurityOf, installEdge } from './edge.js';
import { createHttpServer } from './server.js';

// Guards at the socket: request targets the router accepts in other spellings, refused
// credentials against the rate limit, trickled bodies, oversized headers, Expect: 100-continue
// and the operator port. `inject` normalises or cannot send most of these, so each test talks
// to a server on port 0 over a plain socket.

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
});
const logger = createLogger({ service: 'guards-test', level: 'silent' });
const issuer = await createTestIssuer();
const API_KEY = 'partner-key-0123456789';
const MANIFEST = buildPersistedManifest(['query Home { hello }']);
const HOME = MANIFEST.operations[0]!.body;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function edge(
  options: { security?: Partial<EdgeSecurityConfig>; persistedOnly?: boolean; apiKeys?: boolean } = {},
) {
  const security = edgeSecurityOf({ ...defaultEdgeSecurity(), ...options.security });
  const http = createHttpServer({
    logger,
    errorShape: 'graphql',
    requestTimeoutMs: security.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: security.HEADERS_TIMEOUT_MS,
  });
  const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: issuer.getKey });
  await installEdge(http.app, {
    service: `guards-${Math.random()}`,
    security,
    verifier,
    logger,
    ...(options.apiKeys && { apiKeys: parseApiKeys(`partner:${sha256Hex(API_KEY)}`).entries }),
  });
  if (options.persistedOnly) {
    installPersistedOperations(http.app, { manifest: MANIFEST, only: true });
  }
  const server = createGraphQLServer({ source: { schema }, production: false });
  await server.start();
  mountGraphQL(http.app, { server, context: async () => ({}) });
  await http.app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(async () => {
    await http.app.close();
    await server.stop();
  });
  return { ...http, port: (http.app.server.address() as AddressInfo).port };
}

const post = (target: string, body: string, headers: Record<string, string> = {}) =>
  [
    `POST ${target} HTTP/1.1`,
    'host: edge.test',
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
    '',
    body,
  ].join('\r\n');
const query = (text: string) => JSON.stringify({ query: text });
const codeOf = (body: string) =>
  (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;

/** Spellings of /graphql the router matches: each must meet every guard. */
const SPELLINGS = [
  '/%67raphql',
  '/gr%61phql',
  '/graph%71l?x=1',
  '/graphql#x',
  'http://x/graphql',
  'HTTP://x:1/gr%61phql',
];

describe('guards hold however the GraphQL route is spelled', () => {
  it.each(SPELLINGS)(
    '%s: a bad token is refused, a good one is counted, and RateLimit headers are set',
    async (target) => {
      const { port } = await edge();
      const bad = await rawRequest(port, post(target, query('{ hello }'), { authorization: 'Bearer not.a.token' }));
      expect(bad.status, bad.raw).toBe(401);
      expect(codeOf(bad.body)).toBe('UNAUTHENTICATED');
      expect(bad.headers['www-authenticate']).toMatch(/Bearer/);
      const token = await issuer.sign('7');
      const good = await rawRequest(port, post(target, query('{ hello }'), { authorization: `Bearer ${token}` }));
      expect(good.status, good.raw).toBe(200);
      expect(JSON.parse(good.body)).toEqual({ data: { hello: 'world' } });
      expect(good.headers['ratelimit-limit']).toBe('600');
    },
  );

  it('counts every spelling against one budget, and checks the API key on each', async () => {
    const { port } = await edge({ security: { RATE_LIMIT_ANONYMOUS_MAX: SPELLINGS.length }, apiKeys: true });
    const guessed = await rawRequest(port, post('/%67raphql', query('{ hello }'), { 'x-api-key': 'guessed-key-0000' }));
    expect(guessed.status).toBe(401);
    expect(guessed.headers['www-authenticate']).toMatch(/ApiKey/);
    const statuses = [];
    for (const target of SPELLINGS) statuses.push((await rawRequest(port, post(target, query('{ hello }')))).status);
    // The guessed key above was counted too: the budget ran out one request early.
    expect(statuses).toEqual([...SPELLINGS.slice(1).map(() => 200), 429]);
  });

  it.each(SPELLINGS)('%s: persisted-only refuses any other operation', async (target) => {
    const { port } = await edge({ persistedOnly: true });
    const other = await rawRequest(port, post(target, query('{ hello }')));
    expect(other.status, other.raw).toBe(400);
    expect(codeOf(other.body)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const known = await rawRequest(port, post(target, query(HOME)));
    expect(known.status, known.raw).toBe(200);
  });

  it.each(['/graphql#x?query=%7Bhello%7D', '/%67raphql?query=%7Bhello%7D', 'http://x/graphql?query=%7Bhello%7D'])(
    'GET %s: persisted-only sees the same query string Apollo runs',
    async (target) => {
      const { port } = await edge({ persistedOnly: true });
      const get = `GET ${target} HTTP/1.1\r\nhost: t\r\napollo-require-preflight: true\r\nconnection: close\r\n\r\n`;
      const answer = await rawRequest(port, get);
      expect(answer.body).not.toContain('world');
      expect([400, 404]).toContain(answer.status);
      if (answer.status === 400) expect(codeOf(answer.body)).toMatch(/PERSISTED_QUERY_NOT_ALLOWED|BAD_USER_INPUT/);
    },
  );

  it.each(['/graphql;x', '/graphql/', '//graphql', '/%2Fgraphql', '/./graphql', '/GRAPHQL', '*'])(
    '%s is not the GraphQL route: 404 NOT_FOUND',
    async (target) => {
      const { port } = await edge();
      const answer = await rawRequest(port, post(target, query('{ hello }')));
      expect(answer.status).toBe(404);
      expect(codeOf(answer.body)).toBe('NOT_FOUND');
      expect(answer.headers['x-request-id']).toBeTruthy();
    },
  );

  it.each(['/graphql', ...SPELLINGS])('%s on a subgraph needs the gateway credential', async (target) => {
    const credentials = createTestCredentials('guarded');
    const subgraph = await buildSubgraphServer({
      schema,
      createContext: () => ({}),
      logger,
      production: false,
      credentials: credentials.verifier,
    });
    await subgraph.app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => subgraph.app.close());
    const port = (subgraph.app.server.address() as AddressInfo).port;
    const refused = await rawRequest(port, post(target, query('{ _service { sdl } }')));
    expect(refused.status, refused.raw).toBe(401);
    expect(codeOf(refused.body)).toBe('UNAUTHENTICATED');
    const allowed = await rawRequest(port, post(target, query('{ __typename }'), await credentials.headers()));
    expect(allowed.status, allowed.raw).toBe(200);
  });
});

describe('refused credentials are rate limited', () => {
  it('counts forged tokens against the caller IP, then answers 429 without a token check', async () => {
    const { port } = await edge({ security: { RATE_LIMIT_ANONYMOUS_MAX: 3 } });
    const forged = `${(await issuer.sign('1')).slice(0, -4)}AAAA`;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await rawRequest(port, post('/graphql', query('{ hello }'), { authorization: `Bearer ${forged}` }))).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // A signed-in user is counted by who they are, not by the IP the forgeries came from.
    const token = await issuer.sign('7');
    expect(
      (await rawRequest(port, post('/graphql', query('{ hello }'), { authorization: `Bearer ${token}` }))).status,
    ).toBe(200);
  });
});

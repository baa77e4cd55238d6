import type { RawRequestOptions } from '@edgeway/platform/testing';
import type { ServiceName } from '../../scripts/system.js';

/**
 * The wire-level part of the hostile corpus (test/hostile.test.ts): request targets the router
 * accepts in other spellings, framing Node's parser refuses, oversized headers, trickled bodies
 * and Expect: 100-continue, sent byte for byte over a socket. Each case names the services it is
 * sent to; `bff-mobile-production` is a bff-mobile started in production mode (persisted
 * operations only) beside the shared system.
 */
export type WireTarget = ServiceName | 'bff-mobile-production';
export const EDGE_TARGETS: WireTarget[] = ['gateway', 'bff-web', 'bff-mobile', 'bff-mobile-production'];
export const SUBGRAPH_TARGETS: WireTarget[] = ['accounts', 'products', 'reviews', 'inventory', 'orders'];
export const REST_TARGETS: WireTarget[] = ['pricing', 'recommendations', 'identity'];

export interface WireCase {
  name: string;
  targets: WireTarget[];
  /** The request's bytes. */
  bytes: () => string;
  status: number;
  /** The catalog code answered ('' when the request succeeds). */
  code: string;
  options?: RawRequestOptions;
  /** The answer must not be preceded by `100 Continue`. */
  noContinue?: boolean;
}

/** Spellings of `/graphql` that fastify's router matches: each must meet every guard. */
export const ROUTE_SPELLINGS = ['/%67raphql', '/gr%61phql', '/graph%71l?x=1', '/graphql#x', 'http://x/graphql'];
/** Spellings that are some other route: 404, never the GraphQL route without its guards. */
const OTHER_ROUTES = ['/graphql;x', '/graphql/', '//graphql', '/%2Fgraphql', '/GRAPHQL'];

interface Head {
  method?: string;
  target?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** An HTTP/1.1 request, exactly as written (`content-length` from the body unless given). */
export function http1({ method = 'POST', target = '/graphql', headers = {}, body }: Head): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'host: edge.test', 'connection: close'];
  const all: Record<string, string> = {
    ...(body !== undefined && {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    }),
    ...headers,
  };
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

const graphql = (query: string) => JSON.stringify({ query });
/** `target` with `search` as its query string, before any fragment. */
const withQuery = (target: string, search: string) => {
  const [path = '', fragment] = target.split('?')[0]!.split('#');
  return `${path}?${search}${fragment === undefined ? '' : `#${fragment}`}`;
};
const BAD_TOKEN = { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' };
const spelled = (name: string, f: (target: string) => Omit<WireCase, 'name'>) =>
  ROUTE_SPELLINGS.map((target) => ({ ...f(target), name: `${name} at ${JSON.stringify(target)}` }));

export const WIRE_CASES: WireCase[] = [
  // --- the GraphQL route under other spellings: every guard still runs ---------------------
  ...spelled('a bad token', (target) => ({
    targets: EDGE_TARGETS,
    bytes: () => http1({ target, headers: BAD_TOKEN, body: graphql('{ __typename }') }),
    status: 401,
    code: 'UNAUTHENTICATED',
  })),
  ...spelled('a guessed API key', (target) => ({
    targets: ['gateway'],
    bytes: () => http1({ target, headers: { 'x-api-key': 'guessed-api-key-000000' }, body: graphql('{ __typename }') }),
    status: 401,
    code: 'UNAUTHENTICATED',
  })),
  ...spelled('no gateway credential (the schema SDL)', (target) => ({
    targets: SUBGRAPH_TARGETS,
    bytes: () => http1({ target, body: graphql('{ _service { sdl } }') }),
    status: 401,
    code: 'UNAUTHENTICATED',
  })),
  ...spelled('an operation that is not persisted (production)', (target) => ({
    targets: ['bff-mobile-production'],
    bytes: () => http1({ target, body: graphql('{ __typename }') }),
    status: 400,
    code: 'PERSISTED_QUERY_NOT_ALLOWED',
  })),
  ...spelled('a GET of an operation that is not persisted (production)', (target) => ({
    targets: ['bff-mobile-production'],
    bytes: () =>
      http1({
        method: 'GET',
        target: withQuery(target, 'query=%7B__typename%7D'),
        headers: { 'apollo-require-preflight': 'true' },
      }),
    status: 400,
    code: 'PERSISTED_QUERY_NOT_ALLOWED',
  })),
  {
    name: 'a GET whose query hides behind a fragment (/graphql#x?query=...)',
    targets: ['bff-mobile-production', 'bff-mobile', 'gateway'],
    bytes: () =>
      http1({
        method: 'GET',
        target: '/graphql#x?query=%7B__typename%7D',
        headers: { 'apollo-require-preflight': 'true' },
      }),
    // Not a query string: nothing runs, on any service, in any mode.
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  ...OTHER_ROUTES.map((target) => ({
    name: `another route ${JSON.stringify(target)}`,
    targets: [...EDGE_TARGETS, 'accounts'] as WireTarget[],
    bytes: () => http1({ target, headers: BAD_TOKEN, body: graphql('{ __typename }') }),
    status: 404,
    code: 'NOT_FOUND',
  })),

  // --- what Node's parser refuses: a catalog answer, not a bare status line ----------------
  {
    name: 'a 100 KB token (headers too large)',
    targets: [...EDGE_TARGETS, 'accounts', 'pricing', 'identity'],
    bytes: () =>
      http1({ headers: { authorization: `Bearer ${'a'.repeat(100_000)}` }, body: graphql('{ __typename }') }),
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  },
  {
    name: 'a 20 KB cookie',
    targets: ['gateway', 'bff-web', 'recommendations'],
    bytes: () => http1({ method: 'GET', target: '/healthz', headers: { cookie: `c=${'b'.repeat(20_000)}` } }),
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  },
  {
    name: 'a thousand small headers',
    targets: ['bff-mobile', 'orders'],
    bytes: () =>
      http1({ headers: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x-h${i}`, 'vvvvvvvvvvvvvvvv'])) }),
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  },
  {
    name: 'a request line that is not HTTP',
    targets: [...EDGE_TARGETS, 'pricing'],
    bytes: () => 'HELLO THERE\r\n\r\n',
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'two different content lengths',
    targets: [...EDGE_TARGETS, 'products'],
    bytes: () => http1({ headers: { 'content-length': '2\r\ncontent-length: 9' }, body: '{}' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a content length beside chunked transfer encoding (request smuggling)',
    targets: [...EDGE_TARGETS, 'identity'],
    bytes: () =>
      http1({
        headers: { 'content-length': '5', 'transfer-encoding': 'chunked' },
        body: '0\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n',
      }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a chunk size that is not hex',
    targets: ['gateway', 'bff-web', 'pricing'],
    bytes: () =>
      `${http1({ headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } })}zz\r\n{}\r\n0\r\n\r\n`,
    status: 400,
    code: 'BAD_USER_INPUT',
  },

  // --- slow callers: cut off with 408 (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS) -------------
  {
    name: 'a body trickled at one byte every 3 s',
    targets: EDGE_TARGETS,
    bytes: () => http1({ headers: { 'content-type': 'application/json', 'content-length': '40' } }),
    options: { trickle: { pieces: Array.from({ length: 40 }, () => ' '), everyMs: 3000 }, timeoutMs: 30_000 },
    status: 408,
    code: 'REQUEST_TIMEOUT',
  },
  {
    name: 'headers trickled one line a second',
    targets: ['gateway', 'bff-web'],
    bytes: () => 'POST /graphql HTTP/1.1\r\n',
    options: {
      trickle: { pieces: Array.from({ length: 30 }, (_, i) => `x-slow-${i}: 1\r\n`), everyMs: 1000 },
      timeoutMs: 30_000,
    },
    status: 408,
    code: 'REQUEST_TIMEOUT',
  },

  // --- Expect: 100-continue is not answered before the guards ------------------------------
  {
    name: 'Expect: 100-continue with a bad token',
    targets: EDGE_TARGETS,
    bytes: () =>
      http1({
        headers: { ...BAD_TOKEN, 'content-type': 'application/json', 'content-length': '26', expect: '100-continue' },
      }),
    options: { timeoutMs: 5000 },
    noContinue: true,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'Expect: 100-continue at another spelling with a bad token',
    targets: ['gateway', 'bff-web'],
    bytes: () =>
      http1({
        target: '/%67raphql',
        headers: { ...BAD_TOKEN, 'content-type': 'application/json', 'content-length': '26', expect: '100-continue' },
      }),
    options: { timeoutMs: 5000 },
    noContinue: true,
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'Expect: 100-continue, then the body',
    targets: ['gateway', 'bff-web', 'bff-mobile'],
    bytes: () =>
      http1({ headers: { 'content-type': 'application/json', 'content-length': '26', expect: '100-continue' } }),
    options: { afterContinue: '{"query":"{ __typename }"}' },
    status: 200,
    code: '',
  },
];

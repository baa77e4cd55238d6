import { createPublicKey } from 'node:crypto';
import type { SigningKey } from '@edgeway/identity';
import { base64url, type CryptoKey, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { ServiceName } from '../../scripts/system.js';

/**
 * The hostile-input corpus (test/hostile.test.ts): what a hostile or careless client can send to
 * the public edge, and the coded answer each must get.
 */
export type Edge = Extract<ServiceName, 'gateway' | 'bff-web' | 'bff-mobile'>;
export const EDGES: Edge[] = ['gateway', 'bff-web', 'bff-mobile'];

export interface Request {
  method?: string;
  /** Appended to /graphql. */
  search?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}
export interface Case {
  name: string;
  request: (edge: Edge) => Request | Promise<Request>;
  status: number;
  code: string;
  only?: Edge[];
}

const json = (value: unknown, headers: Record<string, string> = {}): Request => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});
export const query = (text: string, extra: Record<string, unknown> = {}) => json({ query: text, ...extra });
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** A list field with a `first` argument on each edge, for cost bombs. */
const COSTLY: Record<Edge, string> = {
  gateway: '{ topProducts(first: 100000) { reviews { author { reviews { product { name } } } } } }',
  'bff-web': '{ catalog(first: 100000) { edges { node { reviews(first: 100000) { body author { name } } } } } }',
  'bff-mobile': '{ home(first: 100000) { topProducts { upc name price { amount } } } }',
};

// Tokens: the real identity key signs tokens with bad claims; other keys forge the rest.
const now = () => Math.floor(Date.now() / 1000);
let identityKey: SigningKey;
let issuer: string;

/** The identity service's signing key and issuer, so tokens with bad claims carry a real signature. */
export function useIdentity(key: SigningKey, name: string): void {
  identityKey = key;
  issuer = name;
}
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  sub: '1',
  iss: issuer,
  aud: 'edgeway',
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const encode = (value: object) => base64url.encode(JSON.stringify(value));
/** ES256 straight through WebCrypto, so even headers jose would refuse to produce can be signed. */
async function signed(payload: JWTPayload, header: Record<string, unknown> = {}, key?: CryptoKey): Promise<string> {
  const input = `${encode({ alg: 'ES256', kid: identityKey.kid, typ: 'JWT', ...header })}.${encode(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key ?? identityKey.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}
const withHeaders = (headers: Record<string, string>, body = query('{ __typename }')): Request => ({
  ...body,
  headers: { 'content-type': 'application/json', ...headers },
});
const bearer = async (token: string | Promise<string>) => withHeaders({ authorization: `Bearer ${await token}` });

export const CASES: Case[] = [
  // --- malformed bodies ------------------------------------------------------------------
  {
    name: 'truncated JSON',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typen' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'JSON with unquoted keys',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: '{query: "{ __typename }"}' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an empty JSON body',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: '' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a JSON null body',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: 'null' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'a JSON string body', request: () => json('{ __typename }'), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'a JSON number body',
    request: () => ({ headers: { 'content-type': 'application/json' }, body: '42' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'an empty object', request: () => json({}), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'a batch of operations',
    request: () => json([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'an empty batch', request: () => json([]), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a query that is a number', request: () => json({ query: 123 }), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an empty query', request: () => query(''), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'variables that are a string',
    request: () => query('{ __typename }', { variables: 'x' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'variables that are an array',
    request: () => query('{ __typename }', { variables: [1, 2] }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'extensions that are a string',
    request: () => query('{ __typename }', { extensions: 'x' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an operationName that is a number',
    request: () => query('{ __typename }', { operationName: 5 }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a __proto__ key (prototype poisoning)',
    request: () => ({
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }","__proto__":{"polluted":true}}',
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'variables nested 100,000 deep',
    request: () => ({
      headers: { 'content-type': 'application/json' },
      body: `{"query":"query($v: String!) { __type(name: $v) { name } }","variables":{"v":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'bytes that are not UTF-8',
    request: () => ({
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },

  // --- wrong content types and methods ---------------------------------------------------
  {
    name: 'text/plain (a CSRF-able simple request)',
    request: () => ({ headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a form post',
    request: () => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'multipart form data',
    request: () => ({
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--',
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'XML',
    request: () => ({ headers: { 'content-type': 'application/xml' }, body: '<query>{ __typename }</query>' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a body without a content type',
    request: () => ({ body: new TextEncoder().encode('{"query":"{ __typename }"}') }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a GET without a CSRF preflight header',
    request: () => ({ method: 'GET', search: '?query=%7B__typename%7D' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a GET with no query at all',
    request: () => ({ method: 'GET', headers: { 'apollo-require-preflight': 'true' } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'a PUT', request: () => ({ ...query('{ __typename }'), method: 'PUT' }), status: 404, code: 'NOT_FOUND' },
  { name: 'a DELETE', request: () => ({ method: 'DELETE' }), status: 404, code: 'NOT_FOUND' },
  {
    name: 'an accept header that allows no JSON',
    request: () => withHeaders({ accept: 'image/png' }),
    status: 406,
    code: 'BAD_USER_INPUT',
  },

  // --- huge bodies -----------------------------------------------------------------------
  {
    name: 'a 2 MiB body',
    request: () => query(`{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'oversized variables',
    request: () => query('query($s: String) { __typename }', { variables: { s: 'x'.repeat(1_100_000) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a large variable within the body limit',
    request: () => query('query($s: String!) { __type(name: $s) { name } }', { variables: { s: 'x'.repeat(500_000) } }),
    status: 200,
    code: '',
  },

  // --- operations ------------------------------------------------------------------------
  { name: 'a syntax error', request: () => query('{ __typename '), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'a NUL byte in the query',
    request: () => query('{ __type\u0000name }'),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'an unknown field',
    request: () => query('{ doesNotExist }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a subscription (this service has none)',
    request: () => query('subscription { __typename }'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown operation name',
    request: () => query('query A { __typename }', { operationName: 'B' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'two operations without a name',
    request: () => query('query A { __typename } query B { __typename }'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable of the wrong type',
    request: () => query('query($n: String!) { __type(name: $n) { name } }', { variables: { n: 123 } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable of an unknown type',
    request: () => query('query($n: NoSuchType) { __typename }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a missing required variable',
    request: () => query('query($n: String!) { __type(name: $n) { name } }'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a deep query',
    request: () => query(`{ __type(name: "Query") { ${'fields { type { '.repeat(8)} name ${'} } '.repeat(8)} } }`),
    status: 400,
    code: 'OPERATION_LIMIT_EXCEEDED',
  },
  {
    name: 'a wide query (tokens)',
    request: () => query(`{ ${repeat(1200, () => '__typename')} }`),
    status: 400,
    code: 'OPERATION_LIMIT_EXCEEDED',
  },
  {
    name: 'an alias bomb',
    request: () => query(`{ ${repeat(20, (i) => `a${i}: __type(name: "Query") { name }`)} }`),
    status: 400,
    code: 'OPERATION_LIMIT_EXCEEDED',
  },
  {
    name: 'a directive bomb',
    request: () => query(`{ __typename ${repeat(60, () => '@include(if: true)')} }`),
    status: 400,
    code: 'OPERATION_LIMIT_EXCEEDED',
  },
  { name: 'a cost bomb', request: (edge) => query(COSTLY[edge]), status: 400, code: 'OPERATION_LIMIT_EXCEEDED' },
  {
    name: 'a fragment cycle',
    request: () => query('query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a fragment explosion (each fragment spreads the next twice)',
    request: () =>
      query(
        `query Q { ...F0 } ${repeat(30, (i) => `fragment F${i} on Query { __type(name: "Query") { name } ...F${i + 1} ...F${i + 1} }`)} fragment F30 on Query { __typename }`,
      ),
    status: 400,
    code: 'OPERATION_LIMIT_EXCEEDED',
  },
  {
    name: 'an unknown persisted query hash',
    request: () => json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'a persisted query hash that does not match its query',
    request: () =>
      query('{ __typename }', { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unsupported persisted query version',
    request: () => json({ extensions: { persistedQuery: { version: 9, sha256Hash: 'a'.repeat(64) } } }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },

  // --- tokens ----------------------------------------------------------------------------
  {
    name: 'an empty bearer',
    request: () => withHeaders({ authorization: 'Bearer ' }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'Basic credentials',
    request: () => withHeaders({ authorization: 'Basic dXNlcjpwYXNz' }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  { name: 'a bearer that is not a JWT', request: () => bearer('not-a-jwt'), status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'a token with a garbage payload',
    request: () => bearer(`${encode({ alg: 'ES256' })}.!!!.sig`),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a forged token (another key, the real kid)',
    request: async () => bearer(signed(claims(), {}, (await generateKeyPair('ES256')).privateKey)),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an expired token',
    request: () => bearer(signed(claims({ iat: now() - 7200, exp: now() - 3600 }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token that is not valid yet',
    request: () => bearer(signed(claims({ nbf: now() + 3600 }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token for another audience',
    request: () => bearer(signed(claims({ aud: 'another-api' }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token from another issuer',
    request: () => bearer(signed(claims({ iss: 'https://evil.example' }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token without exp',
    request: () => bearer(signed(claims({ exp: undefined }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token living a year (longer than JWT_MAX_LIFETIME_S)',
    request: () => bearer(signed(claims({ exp: now() + 365 * 86_400 }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token issued an hour in the future (beyond JWT_CLOCK_SKEW_S)',
    request: () => bearer(signed(claims({ iat: now() + 3600, exp: now() + 7200 }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token without iat',
    request: () => bearer(signed(claims({ iat: undefined }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token without sub',
    request: () => bearer(signed(claims({ sub: undefined }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an alg none token',
    request: () => bearer(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an HS256 token signed with the public key',
    request: () => {
      const pem = createPublicKey({ key: identityKey.publicJwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const secret = new TextEncoder().encode(String(pem));
      return bearer(
        new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: identityKey.kid, typ: 'JWT' }).sign(secret),
      );
    },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token with an unknown kid',
    request: async () => bearer(signed(claims(), { kid: 'rotated-away' }, (await generateKeyPair('ES256')).privateKey)),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a token with an unknown critical header',
    request: () => bearer(signed(claims(), { crit: ['exp-ext'], 'exp-ext': true })),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an oversized token',
    request: () => bearer(signed(claims({ pad: 'x'.repeat(9000) }))),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an unknown API key',
    request: () => withHeaders({ 'x-api-key': 'guessed-api-key-000000' }),
    status: 401,
    code: 'UNAUTHENTICATED',
    only: ['gateway'],
  },

  // --- odd headers that must not matter --------------------------------------------------
  {
    name: 'a hostile request id',
    request: () => withHeaders({ 'x-request-id': `<script>${'x'.repeat(500)}` }),
    status: 200,
    code: '',
  },
  {
    name: 'a malformed traceparent',
    request: () => withHeaders({ traceparent: 'zz-not-a-trace' }),
    status: 200,
    code: '',
  },
  {
    name: 'a garbage x-chaos header',
    request: () => withHeaders({ 'x-chaos': '=,=,;;gateway=explode:-1' }),
    status: 200,
    code: '',
  },
  {
    name: 'a made-up internal identity header',
    request: () => withHeaders({ 'x-edgeway-user-id': '1', 'x-edgeway-credential': 'forged' }),
    status: 200,
    code: '',
  },
];

import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../resilience/errors.js';
import { createDependencyPolicy } from '../resilience/policy.js';
import type { Upstream, UpstreamRequest } from '../resilience/upstream.js';
import { cacheHintOf, createGraphQLClient, type TypedDocumentNode } from './client.js';
import { errorAt, fieldOf } from './partial.js';

const HELLO = parse('query Hello($name: String!) { hello(name: $name) }') as TypedDocumentNode<
  { hello: string },
  { name: string }
>;

function fakeUpstream(
  answer: (request: UpstreamRequest) => { status: number; body: unknown; headers?: Record<string, string> },
) {
  const requests: UpstreamRequest[] = [];
  const upstream: Upstream = {
    name: 'gateway',
    policy: createDependencyPolicy({ name: 'gateway' }),
    async json<T>(request: UpstreamRequest) {
      requests.push(request);
      return answer(request) as { status: number; body: T };
    },
    close: async () => {},
  };
  return { upstream, requests };
}

describe('createGraphQLClient', () => {
  it('POSTs the printed operation with its variables, name and forwarded headers', async () => {
    const { upstream, requests } = fakeUpstream(() => ({ status: 200, body: { data: { hello: 'hi Ada' } } }));
    const client = createGraphQLClient(upstream);
    const answer = await client.execute(HELLO, { name: 'Ada' }, { headers: { 'x-request-id': 'r1' } });

    expect(answer).toEqual({ data: { hello: 'hi Ada' }, errors: [] });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '',
      idempotent: true,
      headers: { 'x-request-id': 'r1' },
      body: {
        query: expect.stringContaining('hello(name: $name)'),
        variables: { name: 'Ada' },
        operationName: 'Hello',
      },
    });
  });

  it('sends its default headers (the BFF API key) with every call, under the headers of each call', async () => {
    const { upstream, requests } = fakeUpstream(() => ({ status: 200, body: { data: { hello: 'hi' } } }));
    const client = createGraphQLClient(upstream, { headers: { 'x-api-key': 'k', 'x-request-id': 'default' } });
    await client.execute(HELLO, { name: 'Ada' }, { headers: { 'x-request-id': 'r2' } });
    expect(requests[0]?.headers).toMatchObject({ 'x-api-key': 'k', 'x-request-id': 'r2' });
  });

  it('returns partial data together with its errors', async () => {
    const errors = [{ message: 'reviews down', path: ['hello'] }];
    const { upstream } = fakeUpstream(() => ({ status: 200, body: { data: { hello: null }, errors } }));
    const answer = await createGraphQLClient(upstream).execute(HELLO, { name: 'Ada' });
    expect(answer).toEqual({ data: { hello: null }, errors });
  });

  it('returns errors without data (a rejected operation) as data null', async () => {
    const errors = [{ message: 'bad', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }];
    const { upstream } = fakeUpstream(() => ({ status: 400, body: { errors } }));
    expect(await createGraphQLClient(upstream).execute(HELLO, { name: 'x' })).toEqual({ data: null, errors });
  });

  it('throws an UpstreamError when the answer is not a GraphQL result', async () => {
    const { upstream } = fakeUpstream(() => ({ status: 404, body: { code: 'NOT_FOUND' } }));
    await expect(createGraphQLClient(upstream).execute(HELLO, { name: 'x' })).rejects.toMatchObject({
      dependency: 'gateway',
      reason: 'UPSTREAM_ERROR',
    });
  });

  it("exposes what the answer's Cache-Control allows, and nothing when it allows nothing", async () => {
    const answerWith = (headers: Record<string, string> | undefined) =>
      createGraphQLClient(
        fakeUpstream(() => ({ status: 200, body: { data: { hello: 'hi' } }, ...(headers && { headers }) })).upstream,
      ).execute(HELLO, { name: 'Ada' });

    expect((await answerWith({ 'cache-control': 'max-age=60, public' })).cacheHint).toEqual({
      maxAge: 60,
      scope: 'PUBLIC',
    });
    // The gateway's response cache says how old its stored answer is: only the rest is left.
    expect((await answerWith({ 'cache-control': 'max-age=60, public', age: '45' })).cacheHint).toEqual({
      maxAge: 15,
      scope: 'PUBLIC',
    });
    const uncacheable = await answerWith({ 'cache-control': 'no-store' });
    expect(uncacheable).toEqual({ data: { hello: 'hi' }, errors: [] });
    expect('cacheHint' in uncacheable).toBe(false);
    expect((await answerWith(undefined)).cacheHint).toBeUndefined();
  });

  it('lets transport failures through as they are', async () => {
    const upstream: Upstream = {
      name: 'gateway',
      policy: createDependencyPolicy({ name: 'gateway' }),
      json: () => Promise.reject(new UpstreamError('gateway', 'TIMEOUT', 'no answer')),
      close: async () => {},
    };
    await expect(createGraphQLClient(upstream).execute(HELLO, { name: 'x' })).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('cacheHintOf', () => {
  it('reads max-age and scope as Apollo Server writes them', () => {
    expect(cacheHintOf('max-age=60, public')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(cacheHintOf('max-age=30, private')).toEqual({ maxAge: 30, scope: 'PRIVATE' });
    expect(cacheHintOf(['max-age=10', 'public'])).toEqual({ maxAge: 10, scope: 'PUBLIC' });
    expect(cacheHintOf('Public, Max-Age="20"')).toEqual({ maxAge: 20, scope: 'PUBLIC' });
  });

  it('counts an answer that does not say public as private', () => {
    expect(cacheHintOf('max-age=60')).toEqual({ maxAge: 60, scope: 'PRIVATE' });
    expect(cacheHintOf('max-age=60, public, private')).toEqual({ maxAge: 60, scope: 'PRIVATE' });
  });

  it('allows nothing without a positive max-age, with no-store or no-cache, or once Age reaches max-age', () => {
    for (const header of [
      undefined,
      '',
      'no-store',
      'public',
      'max-age=0, public',
      'max-age=-5, public',
      'max-age=ten',
    ]) {
      expect(cacheHintOf(header), String(header)).toBeUndefined();
    }
    expect(cacheHintOf('max-age=60, public, no-store')).toBeUndefined();
    expect(cacheHintOf('no-cache, max-age=60, public')).toBeUndefined();
    expect(cacheHintOf('max-age=60, public', '60')).toBeUndefined();
    expect(cacheHintOf('max-age=60, public', '59')).toEqual({ maxAge: 1, scope: 'PUBLIC' });
    expect(cacheHintOf('max-age=60, public', 'junk')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });
});

describe('errorAt and fieldOf', () => {
  const errors = [
    { message: 'reviews down', path: ['products', 1, 'rating'], extensions: { serviceName: 'reviews' } },
    { message: 'orders down', path: ['me', 'orders'], extensions: { reason: 'TIMEOUT' } },
    { message: 'accounts down', path: ['me', 'name'], extensions: { dependency: 'accounts', reason: 'CIRCUIT_OPEN' } },
  ];

  it('finds the error at a path, below it or above it, naming its service', () => {
    expect(errorAt(errors, ['products', 1, 'rating'], 'gateway')).toMatchObject({ dependency: 'reviews' });
    expect(errorAt(errors, ['products', 1], 'gateway')).toMatchObject({ dependency: 'reviews' });
    expect(errorAt(errors, ['me', 'orders', 0, 'id'], 'gateway')).toMatchObject({
      dependency: 'gateway',
      reason: 'TIMEOUT',
    });
    expect(errorAt(errors, ['me', 'name'], 'gateway')).toMatchObject({
      dependency: 'accounts',
      reason: 'CIRCUIT_OPEN',
    });
    expect(errorAt(errors, ['products', 0, 'rating'], 'gateway')).toBeUndefined();
  });

  it('places an error without a path on any value it could explain, a placed one first', () => {
    const pathless = [{ message: 'accounts is unavailable', extensions: { dependency: 'accounts' } }];
    expect(errorAt(pathless, ['a', 'b'], 'gateway')).toMatchObject({ dependency: 'accounts' });
    expect(errorAt([...errors, ...pathless], ['products', 1], 'gateway')).toMatchObject({ dependency: 'reviews' });
    expect(errorAt([{ message: 'fetch failed' }], ['a'], 'gateway')).toMatchObject({
      dependency: 'gateway',
      reason: 'UPSTREAM_ERROR',
    });
  });

  it('throws the failure behind a null field, and returns real values and real nulls', () => {
    const origin = { errors, path: ['products', 1], dependency: 'gateway' };
    expect(() => fieldOf({ rating: null }, 'rating', origin)).toThrow(UpstreamError);
    expect(fieldOf({ rating: 4 }, 'rating', origin)).toBe(4);
    expect(fieldOf({ name: null }, 'name', origin)).toBeNull();
  });
});

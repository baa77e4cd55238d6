// The request context Apollo Server's gateway mode hands the executor, as Edgeway builds it,
// against @apollo/server's own function (its ESM build, never patched) on the same inputs.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { gatewayRequestContext } from './gatewayRequestContext.js';

const require = createRequire(import.meta.url);
const serverDir = join(require.resolve('@apollo/server'), '../../..');
type Make = (context: unknown, server: unknown, internals: unknown) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const apollos = (
  (await import(pathToFileURL(join(serverDir, 'dist/esm/utils/makeGatewayGraphQLRequestContext.js')).href)) as {
    makeGatewayGraphQLRequestContext: Make;
  }
).makeGatewayGraphQLRequestContext;
const ours = gatewayRequestContext as Make;

function requestContext(request: Record<string, unknown>) {
  return {
    request,
    response: { http: { headers: new HeaderMap([['x-out', 'a']]), status: undefined as number | undefined } },
    schema: { schema: true },
    contextValue: { caller: 'c' },
    queryHash: 'hash',
    document: { kind: 'Document' },
    source: '{ a }',
    operationName: 'Op',
    operation: { kind: 'OperationDefinition' },
    errors: undefined,
    metrics: { captureTraces: false },
    overallCachePolicy: { maxAge: 0 },
    requestIsBatched: false,
  };
}
const server = { logger: { name: 'logger' }, cache: { name: 'cache' } };
const internals = { includeStacktraceInErrorResponses: false };
const http = (search: string) => ({ method: 'POST', search, headers: new HeaderMap([['x-in', '1']]) });

describe("the gateway request context, against Apollo Server's", () => {
  const requests: Array<[string, () => Record<string, unknown>]> = [
    [
      'every field',
      () => ({ query: '{ a }', operationName: 'Op', variables: { v: 1 }, extensions: {}, http: http('a=1') }),
    ],
    ['a search with its question mark', () => ({ query: '{ a }', http: http('?a=1') })],
    ['no search', () => ({ query: '{ a }', http: http('') })],
    ['no HTTP, fields absent', () => ({ query: '{ a }' })],
    ['fields present but undefined', () => ({ query: undefined, variables: undefined })],
  ];
  for (const [name, request] of requests) {
    it(`holds what Apollo's holds: ${name}`, () => {
      const context = requestContext(request());
      const a = ours(context, server, internals);
      const b = apollos(context, server, internals);
      expect(Object.keys(a)).toEqual(Object.keys(b));
      for (const key of Object.keys(b)) if (key !== 'request' && key !== 'response') expect(a[key], key).toBe(b[key]);
      expect(Object.keys(a.request)).toEqual(Object.keys(b.request));
      for (const key of ['query', 'operationName', 'variables', 'extensions'])
        expect(a.request[key]).toBe(b.request[key]);
      expect(a.request.http?.method).toBe(b.request.http?.method);
      expect(a.request.http?.url).toBe(b.request.http?.url);
      if (b.request.http) expect([...a.request.http.headers]).toEqual([...b.request.http.headers]);
    });
  }

  it("reads and writes the answer's status and headers through to the request, as Apollo's does", () => {
    const context = requestContext({ query: '{ a }', http: http('') });
    const twin = requestContext({ query: '{ a }', http: http('') });
    const a = ours(context, server, internals);
    const b = apollos(twin, server, internals);
    a.response.http.status = 418;
    b.response.http.status = 418;
    expect(context.response.http.status).toBe(418);
    expect(a.response.http.status).toBe(418);
    for (const [x, y] of [
      [a.response.http.headers, b.response.http.headers],
      [a.request.http.headers, b.request.http.headers],
    ]) {
      x.append('x-more', '1');
      y.append('x-more', '1');
      x.append('x-more', '2');
      y.append('x-more', '2');
      expect(x.get('x-more')).toBe('1, 2');
      expect(x.get('x-none')).toBe(y.get('x-none'));
      expect(x.has('x-more')).toBe(y.has('x-more'));
      x.set('x-set', 'v');
      y.set('x-set', 'v');
      x.delete('x-in');
      y.delete('x-in');
      expect([...x.entries()]).toEqual([...y.entries()]);
      expect([...x.keys()]).toEqual([...y.keys()]);
      expect([...x.values()]).toEqual([...y.values()]);
      expect([...x]).toEqual([...y]);
    }
    expect([...context.response.http.headers]).toEqual([...twin.response.http.headers]);
  });

  it('keeps the status accessors on a shared prototype, not on each answer (no hidden class per request)', () => {
    const a = ours(requestContext({ query: '{ a }' }), server, internals);
    const b = apollos(requestContext({ query: '{ a }' }), server, internals);
    expect(Object.getOwnPropertyDescriptor(b.response.http, 'status')?.get).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(a.response.http, 'status')).toBeUndefined();
    expect(Object.getPrototypeOf(a.response.http)).toBe(
      Object.getPrototypeOf(ours(requestContext({}), server, internals).response.http),
    );
  });
});

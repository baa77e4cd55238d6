// What Apollo Server's gateway mode hands the gateway's executor for each request, in place of
// @apollo/server's `makeGatewayGraphQLRequestContext` (dist/cjs/utils/makeGatewayGraphQLRequestContext.js):
// the same fields, read from the same places, but `response.http` an instance of a class.
//
// Apollo's `response.http` is an object literal whose `status` getter and setter close over the
// request. V8 gives each such object a hidden class of its own, made in old space and holding those
// closures, so each request's objects (its context, document, answer) were reachable from old space
// and copied through every young collection until the next full one. A gateway answering
// `{ __typename }` with a stand-in executor promoted 13 % of what it allocated with Apollo's
// function and 2.4 % with this one (docs/performance.md, step 23).

/* eslint-disable @typescript-eslint/no-explicit-any -- Apollo Server's internal request context, used untyped */
type RequestContext = any;
type Server = any;
type Internals = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

interface HeaderMapLike {
  has(name: string): boolean;
  get(name: string): string | undefined;
  set(name: string, value: string): unknown;
  delete(name: string): unknown;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
}

/** Apollo Server's `HeaderMap` read and written through the fetch `Headers` interface, as Apollo's own adapter does. */
export class HeaderMapHeaders {
  constructor(readonly map: HeaderMapLike) {}

  append(name: string, value: string): void {
    this.map.set(name, this.map.has(name) ? `${this.map.get(name)}, ${value}` : value);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** The answer's HTTP head: headers of the request's own, status read and written through to it. */
class ResponseHttp {
  readonly headers: HeaderMapHeaders;
  readonly #context: RequestContext;

  constructor(context: RequestContext) {
    this.#context = context;
    this.headers = new HeaderMapHeaders(context.response.http.headers);
  }
  get status(): number | undefined {
    return this.#context.response.http.status;
  }
  set status(status: number | undefined) {
    this.#context.response.http.status = status;
  }
}

export function gatewayRequestContext(context: RequestContext, server: Server, internals: Internals): object {
  const from = context.request;
  const request: Record<string, unknown> = {};
  if ('query' in from) request.query = from.query;
  if ('operationName' in from) request.operationName = from.operationName;
  if ('variables' in from) request.variables = from.variables;
  if ('extensions' in from) request.extensions = from.extensions;
  if (from.http) {
    const search: string = from.http.search;
    const question = search !== '' && !search.startsWith('?');
    request.http = {
      method: from.http.method,
      url: `https://unknown-url.invalid/${question ? '?' : ''}${search}`,
      headers: new HeaderMapHeaders(from.http.headers),
    };
  }
  return {
    request,
    response: { http: new ResponseHttp(context) },
    logger: server.logger,
    schema: context.schema,
    schemaHash: 'schemaHash no longer exists since Apollo Server 4',
    context: context.contextValue,
    cache: server.cache,
    queryHash: context.queryHash,
    document: context.document,
    source: context.source,
    operationName: context.operationName,
    operation: context.operation,
    errors: context.errors,
    metrics: context.metrics,
    debug: internals.includeStacktraceInErrorResponses,
    overallCachePolicy: context.overallCachePolicy,
    requestIsBatched: context.requestIsBatched,
  };
}

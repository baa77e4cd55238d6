import { createRequire } from 'node:module';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import {
  type AnswerHeaders,
  AppError,
  INTERNAL_CREDENTIAL_HEADER,
  type InternalSigner,
  REQUEST_ID_HEADER,
  type RequestHeaderMapper,
  type ResponseHeaderPicker,
  UpstreamError,
} from '@edgeway/platform';
import type { CanaryRoute, SubgraphTarget } from './canaryRouting.js';
import type { GatewayContext } from './context.js';
import { failedFetch } from './fetchErrors.js';
import { CHAOS_DIRECTIVE_HEADER, encodeChaos } from './fetcher.js';

type CachePolicy = { restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void };

const require = createRequire(import.meta.url);
// @apollo/gateway's own reading of a Cache-Control header (what RemoteGraphQLDataSource uses).
const { parseCacheControlHeader } = require('@apollo/gateway/dist/datasources/parseCacheControlHeader.js') as {
  parseCacheControlHeader(header: string | null | undefined): Record<string, string | true>;
};

/** A subgraph's `Cache-Control` answer header as a cache hint, read as RemoteGraphQLDataSource reads it. */
export function cacheHintOf(header: string | null | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const parsed = parseCacheControlHeader(header);
  const maxAge = parsed['max-age'];
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = {
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
  };
  if (parsed.private === true) hint.scope = 'PRIVATE';
  if (parsed.public === true) hint.scope = 'PUBLIC';
  return hint;
}

/** What one subgraph gets besides the operation, from its settings. */
export interface SubgraphDataSourceOptions {
  /** Signs the internal credential; none for a subgraph that must not receive it (`credential: false`). */
  sign: InternalSigner | undefined;
  /** The client headers this subgraph gets (its request header rules). */
  requestHeaders: RequestHeaderMapper;
  /** The answer headers passed on to the client (its response header rules). @default none */
  responseHeaders?: ResponseHeaderPicker | undefined;
  /** Sends some fetches to the subgraph's canary deployment (`canaryRouting.ts`). @default none */
  canary?: CanaryRoute | undefined;
}

/**
 * How the gateway talks to one subgraph: the resilient fetcher, and on every subgraph request
 * the request id and (unless the subgraph is configured without) a credential the gateway signed
 * for this subgraph and this body naming the caller (none for anonymous callers). Client headers
 * reach a subgraph only as its header rules say; they are set first, so the gateway's own
 * headers always win.
 *
 * It does what @apollo/gateway's RemoteGraphQLDataSource does for Edgeway (POST the operation,
 * read the JSON answer, turn a non-2xx status into an error, honour the subgraph's
 * `Cache-Control` as a cache hint for the whole answer) without its per-request node-fetch
 * Request and Headers objects, which the profile showed among the gateway's larger costs, and
 * without automatic persisted queries (subgraphs are reached over a private network).
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly url: string;
  readonly #stable: SubgraphTarget;
  readonly #options: SubgraphDataSourceOptions;

  constructor(name: string, url: string, fetcher: Fetcher, options: SubgraphDataSourceOptions) {
    this.name = name;
    this.url = url;
    this.#stable = { url, fetcher, variant: 'stable' };
    this.#options = options;
  }

  /**
   * A fetch that fails (refused, timed out, 5xx, circuit open, too large, over the budget) answers
   * as a subgraph reporting an error on each field it was to resolve, so the client's errors carry
   * those fields' paths and a catalog code, and the rest of the answer stands. Such an answer has
   * errors, so the response cache never stores it.
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!options.request.query) throw new Error('Missing query');
    try {
      // Requests the gateway makes on its own (no client context) are anonymous, but still signed.
      const context = 'requestId' in options.context ? (options.context as GatewayContext) : undefined;
      // The per-request budget: a plan that fans out past it gets its remaining fetches refused
      // (their fields null with the code), not sent. A canary's fallback to stable is not counted.
      if (context && --context.fetchBudget.remaining < 0) {
        throw new AppError('OPERATION_LIMIT_EXCEEDED', 'The operation needs more subgraph requests than allowed');
      }
      const { canary } = this.#options;
      if (!canary?.active) return await this.#fetch(options, context, this.#stable);
      const mutation = /^\s*mutation\b/.test(options.request.query);
      return await canary.send(context?.caller, mutation, this.#stable, (target) =>
        this.#fetch(options, context, target),
      );
    } catch (error) {
      const document = 'document' in options ? options.document : undefined;
      const answer = failedFetch(this.name, error, options.request, document);
      if (answer) return answer;
      throw error;
    }
  }

  async #fetch(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    gatewayContext: GatewayContext | undefined,
    target: SubgraphTarget,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const { sign, requestHeaders, responseHeaders } = this.#options;
    // Propagated headers first and in the rules' fixed order: part of the in-flight sharing key,
    // so callers whose propagated headers differ never share an answer.
    const headers: Record<string, string> = gatewayContext ? requestHeaders(gatewayContext.clientHeaders) : {};
    headers['content-type'] = 'application/json';
    const { http: _http, ...payload } = request;
    const body = JSON.stringify(payload);
    if (sign) headers[INTERNAL_CREDENTIAL_HEADER] = sign(this.name, gatewayContext?.principal?.sub, body);
    if (gatewayContext) {
      headers[REQUEST_ID_HEADER] = gatewayContext.requestId;
      const chaos = gatewayContext.chaos.get(this.name);
      if (chaos) headers[CHAOS_DIRECTIVE_HEADER] = encodeChaos(chaos);
    }
    const response = await target.fetcher(target.url, { method: 'POST', headers, body });
    if (!response.ok) throw errorFromResponse(this.name, response.status);
    const answer = await bodyOf(response).catch(() => undefined);
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      throw new UpstreamError(this.name, 'UPSTREAM_ERROR', 'answered a body that is not a GraphQL result');
    }
    const policy =
      'incomingRequestContext' in options
        ? (options.incomingRequestContext.overallCachePolicy as unknown as Partial<CachePolicy> | undefined)
        : undefined;
    // A canary's answers are never kept for everyone's requests: the whole-response cache would
    // serve them to stable callers.
    if (policy && typeof policy.restrict === 'function')
      policy.restrict(target.variant === 'canary' ? { maxAge: 0 } : cacheHintOf(response.headers.get('cache-control')));
    const passed = responseHeaders?.(response.headers as unknown as AnswerHeaders);
    if (passed?.length && gatewayContext) {
      // An answer that sets the caller's headers is the caller's: never stored, never shared.
      policy?.restrict?.({ maxAge: 0, scope: 'PRIVATE' });
      for (const [name, value] of passed) gatewayContext.answerHeader(name, value);
    }
    return answer as GatewayGraphQLResponse;
  }
}

async function bodyOf(response: FetcherResponse): Promise<unknown> {
  const type = response.headers.get('content-type');
  return type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'))
    ? response.json()
    : response.text();
}

/**
 * A non-2xx subgraph answer (5xx never gets here: the fetcher's policy turns it into an
 * UpstreamError). RemoteGraphQLDataSource passes the answer's body on in `extensions.response`;
 * a subgraph's or a proxy's error page is not the client's to read, so only its status counts:
 * 401 and 403 keep their catalog codes, anything else is the dependency failing this field.
 */
function errorFromResponse(subgraph: string, status: number): Error {
  if (status === 401) return new AppError('UNAUTHENTICATED');
  if (status === 403) return new AppError('FORBIDDEN');
  return new UpstreamError(subgraph, 'UPSTREAM_ERROR', `answered ${status}`, status);
}

import { type DocumentNode, type GraphQLFormattedError, Kind, type OperationDefinitionNode, print } from 'graphql';
import type { ChaosDirective } from '../resilience/chaos.js';
import { UpstreamError } from '../resilience/errors.js';
import type { Upstream } from '../resilience/upstream.js';

/**
 * A document that carries its result and variables types, as `typed-document-node` codegen
 * emits it. Declared structurally so platform does not depend on the codegen runtime package.
 */
export interface TypedDocumentNode<
  TData = Record<string, unknown>,
  TVariables = Record<string, unknown>,
> extends DocumentNode {
  __apiType?: (variables: TVariables) => TData;
}

/** What a GraphQL server answered: partial data and errors may come together. */
export interface GraphQLResponse<TData> {
  data: TData | null;
  errors: readonly GraphQLFormattedError[];
  /** How long, and for whom, the answer may be kept (its `Cache-Control`); absent when not at all. */
  cacheHint?: CacheHint;
}

/** How long (seconds from now) and for whom an answer may be kept. */
export interface CacheHint {
  maxAge: number;
  /** PUBLIC: anyone's request may be answered with it; PRIVATE: only the caller's own. */
  scope: 'PUBLIC' | 'PRIVATE';
}

type HeaderValue = string | readonly string[] | undefined;
const joined = (value: HeaderValue) => (typeof value === 'string' ? value : value?.join(', '));

/**
 * The cache hint in an answer's `Cache-Control` and `Age` headers (RFC 9111): undefined when it
 * allows no caching (no header, `no-store`, `no-cache`, no max-age, or no freshness left after
 * `Age`, e.g. from the gateway's own response cache). An answer without `public` counts as
 * PRIVATE: it was asked for with the caller's token, and such an answer is shared only when it
 * says so (RFC 9111 section 3.5). Apollo Server always says `public` or `private`.
 */
export function cacheHintOf(cacheControl: HeaderValue, age?: HeaderValue): CacheHint | undefined {
  const header = joined(cacheControl);
  if (!header) return undefined;
  const directives = new Map<string, string>();
  for (const part of header.split(',')) {
    const [name = '', value = ''] = part.split('=', 2).map((s) => s.trim());
    directives.set(name.toLowerCase(), value.replace(/^"(.*)"$/, '$1'));
  }
  const maxAge = directives.get('max-age');
  if (directives.has('no-store') || directives.has('no-cache') || !maxAge || !/^[0-9]+$/.test(maxAge)) {
    return undefined;
  }
  const ageValue = joined(age)?.split(',')[0]?.trim();
  const fresh = Number(maxAge) - (ageValue && /^[0-9]+$/.test(ageValue) ? Number(ageValue) : 0);
  if (fresh <= 0) return undefined;
  return { maxAge: fresh, scope: directives.has('public') && !directives.has('private') ? 'PUBLIC' : 'PRIVATE' };
}

export interface GraphQLCallOptions {
  /** Headers to forward (authorization, request id, ...); undefined values are left out. */
  headers?: Record<string, string | undefined>;
  /** This request's injected fault for this upstream (x-chaos). */
  chaos?: ChaosDirective | undefined;
}

export interface GraphQLClient {
  /** Sends one operation; throws UpstreamError when the transport fails or the answer is not GraphQL. */
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options?: GraphQLCallOptions,
  ): Promise<GraphQLResponse<TData>>;
}

interface Printed {
  query: string;
  operationName: string | undefined;
  /** Queries have no side effects, so the upstream's policy may retry them. */
  idempotent: boolean;
}

/**
 * GraphQL over HTTP (POST JSON) through a platform `Upstream`, so timeouts, pooling and the
 * UpstreamError taxonomy are the same as for REST dependencies.
 */
export function createGraphQLClient(
  upstream: Upstream,
  options: {
    path?: string;
    /** Sent with every call, under each call's own headers (e.g. the BFF's API key). @default none */
    headers?: Record<string, string>;
  } = {},
): GraphQLClient {
  const path = options.path ?? '';
  const defaults = { accept: 'application/graphql-response+json, application/json', ...options.headers };
  // Documents are module constants: print each once, not on every call.
  const printed = new WeakMap<DocumentNode, Printed>();
  const printOnce = (document: DocumentNode): Printed => {
    let entry = printed.get(document);
    if (!entry) {
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      entry = {
        query: print(document),
        operationName: operation?.name?.value,
        idempotent: operation?.operation === 'query',
      };
      printed.set(document, entry);
    }
    return entry;
  };

  return {
    async execute<TData, TVariables>(
      document: TypedDocumentNode<TData, TVariables>,
      variables: TVariables,
      callOptions: GraphQLCallOptions = {},
    ) {
      const { query, operationName, idempotent } = printOnce(document);
      const { status, body, headers } = await upstream.json<{ data?: TData | null; errors?: GraphQLFormattedError[] }>({
        method: 'POST',
        path,
        headers: { ...defaults, ...callOptions.headers },
        body: { query, variables, operationName },
        idempotent,
        chaos: callOptions.chaos,
      });
      const hasData = body !== null && typeof body === 'object' && 'data' in body;
      const errors = body !== null && typeof body === 'object' && Array.isArray(body.errors) ? body.errors : [];
      if (!hasData && errors.length === 0) {
        throw new UpstreamError(upstream.name, 'UPSTREAM_ERROR', `answered ${status} without a GraphQL result`, status);
      }
      const answer: GraphQLResponse<TData> = { data: hasData ? (body.data ?? null) : null, errors };
      const cacheHint = cacheHintOf(headers?.['cache-control'], headers?.age);
      if (cacheHint) answer.cacheHint = cacheHint;
      return answer;
    },
  };
}

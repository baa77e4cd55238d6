import { type DocumentNode, type GraphQLFormattedError, Kind, type OperationDefinitionNode, print } from 'graphql';
import { type DegradeReason, UpstreamError } from '../resilience/errors.js';
import type { Upstream } from '../resilience/upstream.js';

/**
 * A document that carries its result and variables types, as `typed-document-node` codegen
 * emits it. Declared structurally so platform does not depend on the codegen runtime package.
 */
export interface TypedDocumentNode<TData = Record<string, unknown>, TVariables = Record<string, unknown>>
  extends DocumentNode {
  __apiType?: (variables: TVariables) => TData;
}

/** What a GraphQL server answered: partial data and errors may come together. */
export interface GraphQLResponse<TData> {
  data: TData | null;
  errors: readonly GraphQLFormattedError[];
}

export interface GraphQLCallOptions {
  /** Headers to forward (authorization, request id, ...); undefined values are left out. */
  headers?: Record<string, string | undefined>;
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
}

/**
 * GraphQL over HTTP (POST JSON) through a platform `Upstream`, so timeouts, pooling and the
 * UpstreamError taxonomy are the same as for REST dependencies.
 */
export function createGraphQLClient(upstream: Upstream, options: { path?: string } = {}): GraphQLClient {
  const path = options.path ?? '';
  // Documents are module constants: print each once, not on every call.
  const printed = new WeakMap<DocumentNode, Printed>();
  const printOnce = (document: DocumentNode): Printed => {
    let entry = printed.get(document);
    if (!entry) {
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      entry = { query: print(document), operationName: operation?.name?.value };
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
      const { query, operationName } = printOnce(document);
      const { status, body } = await upstream.json<{ data?: TData | null; errors?: GraphQLFormattedError[] }>({
        method: 'POST',
        path,
        headers: { accept: 'application/graphql-response+json, application/json', ...callOptions.headers },
        body: { query, variables, operationName },
      });
      const hasData = body !== null && typeof body === 'object' && 'data' in body;
      const errors = body !== null && typeof body === 'object' && Array.isArray(body.errors) ? body.errors : [];
      if (!hasData && errors.length === 0) {
        throw new UpstreamError(upstream.name, 'UPSTREAM_ERROR', `answered ${status} without a GraphQL result`, status);
      }
      return { data: hasData ? (body.data ?? null) : null, errors };
    },
  };
}

function startsWith(path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

const REASONS: readonly DegradeReason[] = ['CIRCUIT_OPEN', 'TIMEOUT', 'UPSTREAM_ERROR'];

/**
 * The error that explains a missing value at `path` of a partial GraphQL result, as an
 * UpstreamError naming the dependency (the federation gateway's `extensions.serviceName` when
 * present, else `fallbackDependency`). An error whose path is an ancestor or descendant of
 * `path` counts; so does an error without a path, since it cannot be placed more precisely.
 */
export function errorAt(
  errors: readonly GraphQLFormattedError[],
  path: ReadonlyArray<string | number>,
  fallbackDependency: string,
): UpstreamError | undefined {
  const error = errors.find((e) => !e.path || startsWith(path, e.path) || startsWith(e.path, path));
  if (!error) return undefined;
  const service = error.extensions?.serviceName;
  const reason = error.extensions?.reason;
  return new UpstreamError(
    typeof service === 'string' && service.length > 0 ? service : fallbackDependency,
    REASONS.includes(reason as DegradeReason) ? (reason as DegradeReason) : 'UPSTREAM_ERROR',
    error.message,
  );
}

/** Where an object sits in a GraphQL result, so a null field can be traced to the error behind it. */
export interface ResultOrigin {
  errors: readonly GraphQLFormattedError[];
  path: ReadonlyArray<string | number>;
  /** Named when an error does not say which service failed. */
  dependency: string;
}

/** `object[field]`; when that is null because of an error in the result, throws the failure instead. */
export function fieldOf<T, K extends keyof T & string>(object: T, field: K, origin: ResultOrigin): T[K] {
  const value = object[field];
  if (value === null) {
    const failure = errorAt(origin.errors, [...origin.path, field], origin.dependency);
    if (failure) throw failure;
  }
  return value;
}

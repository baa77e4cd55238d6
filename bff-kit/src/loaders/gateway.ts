import {
  AppError,
  type ChaosDirective,
  errorAt,
  type GraphQLClient,
  type GraphQLResponse,
  type TypedDocumentNode,
  UpstreamError,
} from '@edgeway/platform';
import DataLoader from 'dataloader';
import { Kind } from 'graphql';
import { asError, traceBatch } from './batch.js';

/** The dependency named in the manifest when the gateway does not say which subgraph failed. */
export const GATEWAY = 'gateway';

export type Headers = Record<string, string | undefined>;

/** How one request calls one upstream: the headers it forwards and its injected fault, if any. */
export interface CallOptions {
  headers: Headers;
  chaos?: ChaosDirective | undefined;
  /** The propagated client headers (`PROPAGATE_HEADERS`), part of the key of anything kept across requests. @default none */
  vary?: string | undefined;
}

/** The errors of a gateway answer: they explain the nulls in its data. */
export type GatewayErrors = GraphQLResponse<unknown>['errors'];

/** A gateway answer with data; its errors explain the nulls in it (a partial result). */
export interface GatewayAnswer<TData> {
  data: TData;
  errors: GatewayErrors;
}

export interface GatewayLoader {
  /** Sends a screen's operation; the same operation with the same variables is sent once per request. */
  query<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<GatewayAnswer<TData>>;
}

/** The answer, or the error that explains why it has no data at all. */
export function withData<TData>(response: GraphQLResponse<TData>): GatewayAnswer<TData> {
  if (response.data !== null) return { data: response.data, errors: response.errors };
  // The BFF checks what it sends, so input the gateway rejects is the client's (a cursor to a gone product).
  const rejected = response.errors.find((error) => error.extensions?.code === 'BAD_USER_INPUT');
  if (rejected) throw new AppError('BAD_USER_INPUT', rejected.message);
  throw errorAt(response.errors, [], GATEWAY) ?? new UpstreamError(GATEWAY, 'UPSTREAM_ERROR', 'answered no data');
}

interface Call {
  document: TypedDocumentNode<unknown, unknown>;
  variables: unknown;
}

function keyOf({ document, variables }: Call): string {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return `${operation?.name?.value}:${JSON.stringify(variables)}`;
}

export function createGatewayLoader(client: GraphQLClient, call: CallOptions): GatewayLoader {
  // The gateway takes one operation per HTTP request, so a "batch" runs its calls side by side.
  const loader = new DataLoader<Call, GraphQLResponse<unknown>, string>(
    (calls) => {
      traceBatch(GATEWAY, calls);
      return Promise.all(calls.map((c) => client.execute(c.document, c.variables, call).catch(asError)));
    },
    { cacheKeyFn: keyOf, name: 'gateway.query' },
  );
  return {
    async query<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
      const response = await loader.load({ document, variables } as Call);
      return withData(response as GraphQLResponse<TData>);
    },
  };
}

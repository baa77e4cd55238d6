import { execute, type GraphQLSchema } from 'graphql';
import type { GraphQLCallOptions, GraphQLClient } from '../graphql/client.js';

export interface RecordedGraphQLCall {
  operationName: string | undefined;
  variables: unknown;
  headers: Record<string, string | undefined>;
}

export interface FakeGraphQLClient extends GraphQLClient {
  /** Every operation sent, in order. */
  readonly calls: RecordedGraphQLCall[];
}

export interface FakeGraphQLClientOptions {
  /** An executable schema standing in for the upstream (hand-written deterministic resolvers). */
  schema: GraphQLSchema;
  /** The resolvers' context, from the forwarded headers (e.g. the caller from `authorization`). */
  context?: (headers: Record<string, string | undefined>) => unknown;
}

/**
 * A GraphQLClient that executes in memory against `schema`, so a BFF test gets real partial
 * results (data plus errors with paths) without sockets, and can count what was sent.
 */
export function createFakeGraphQLClient(options: FakeGraphQLClientOptions): FakeGraphQLClient {
  const calls: RecordedGraphQLCall[] = [];
  return {
    calls,
    async execute(document, variables, callOptions: GraphQLCallOptions = {}) {
      const headers = { ...callOptions.headers };
      const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
      calls.push({ operationName: operation?.name?.value, variables, headers });
      const result = await execute({
        schema: options.schema,
        document,
        variableValues: variables as Record<string, unknown>,
        contextValue: options.context?.(headers),
      });
      return {
        data: (result.data ?? null) as never,
        errors: (result.errors ?? []).map((error) => error.toJSON()),
      };
    },
  };
}

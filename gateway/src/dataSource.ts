import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identityHeaders, REQUEST_ID_HEADER } from '@edgeway/platform';
import type { GatewayContext } from './context.js';

/**
 * How the gateway talks to one subgraph: the pooled fetcher, and the caller's identity and
 * request id on every subgraph request. Client headers are never passed through wholesale.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(name: string, url: string, fetcher: Fetcher) {
    super({ url, fetcher });
    this.name = name;
  }

  readonly name: string;

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    headers.set(REQUEST_ID_HEADER, context.requestId);
    for (const [name, value] of Object.entries(identityHeaders(context.principal?.sub))) headers.set(name, value);
  }
}

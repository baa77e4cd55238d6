import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identityHeaders, REQUEST_ID_HEADER } from '@edgeway/platform';
import type { GatewayContext } from './context.js';
import { CHAOS_DIRECTIVE_HEADER, encodeChaos } from './fetcher.js';

/**
 * How the gateway talks to one subgraph: the resilient fetcher, and the caller's identity and
 * request id on every subgraph request. Client headers are never passed through wholesale.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;

  constructor(name: string, url: string, fetcher: Fetcher) {
    super({ url, fetcher });
    this.name = name;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    headers.set(REQUEST_ID_HEADER, context.requestId);
    for (const [name, value] of Object.entries(identityHeaders(context.principal?.sub))) headers.set(name, value);
    const chaos = context.chaos.get(this.name);
    if (chaos) headers.set(CHAOS_DIRECTIVE_HEADER, encodeChaos(chaos));
  }
}

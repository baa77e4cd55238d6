import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { INTERNAL_CREDENTIAL_HEADER, type InternalSigner, REQUEST_ID_HEADER } from '@edgeway/platform';
import type { GatewayContext } from './context.js';
import { CHAOS_DIRECTIVE_HEADER, encodeChaos } from './fetcher.js';

/**
 * How the gateway talks to one subgraph: the resilient fetcher, and on every subgraph request
 * the request id and a credential the gateway signed for this subgraph naming the caller (none
 * for anonymous callers). Client headers are never passed through wholesale.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  readonly #sign: InternalSigner;

  constructor(name: string, url: string, fetcher: Fetcher, sign: InternalSigner) {
    super({ url, fetcher });
    this.name = name;
    this.#sign = sign;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    // Requests the gateway makes on its own (no client context) are anonymous, but still signed.
    const gatewayContext = 'requestId' in context ? (context as GatewayContext) : undefined;
    headers.set(INTERNAL_CREDENTIAL_HEADER, await this.#sign(this.name, gatewayContext?.principal?.sub));
    if (!gatewayContext) return;
    headers.set(REQUEST_ID_HEADER, gatewayContext.requestId);
    const chaos = gatewayContext.chaos.get(this.name);
    if (chaos) headers.set(CHAOS_DIRECTIVE_HEADER, encodeChaos(chaos));
  }
}

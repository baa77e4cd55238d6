import { ApolloGateway } from '@apollo/gateway';
import {
  createGraphQLServer,
  createHttpServer,
  type HttpServer,
  installAuth,
  type Logger,
  mountGraphQL,
  type TokenVerifier,
} from '@edgeway/platform';
import type { GatewayContext } from './context.js';
import { SubgraphDataSource } from './dataSource.js';
import { createSubgraphFetcher } from './fetcher.js';
import { supergraphFromFile } from './supergraph.js';

export interface GatewayAppConfig {
  production: boolean;
  supergraphPath: string;
  /** Per-subgraph URL overrides; the supergraph's own URL otherwise. */
  subgraphUrls: Readonly<Record<string, string>>;
  upstreamTimeoutMs: number;
}

export interface GatewayApp extends HttpServer {
  stop(): Promise<void>;
}

/** The gateway: federation over the supergraph file, behind the platform's HTTP edge. */
export async function buildGateway(config: GatewayAppConfig, deps: { logger: Logger; verify: TokenVerifier }): Promise<GatewayApp> {
  const subgraphClient = createSubgraphFetcher({ timeoutMs: config.upstreamTimeoutMs });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath),
    logger: deps.logger.child({ component: 'federation' }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, config.subgraphUrls[name] ?? url ?? '', subgraphClient.fetcher),
  });
  const server = createGraphQLServer<GatewayContext>({ source: { gateway }, production: config.production });
  await server.start();

  const http = createHttpServer({ logger: deps.logger, errorShape: 'graphql' });
  installAuth(http.app, deps.verify);
  mountGraphQL<GatewayContext>(http.app, {
    server,
    context: async (req) => ({ requestId: req.id, principal: req.principal }),
  });

  return {
    ...http,
    async stop() {
      await server.stop();
      await subgraphClient.close();
    },
  };
}

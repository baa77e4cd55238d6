import { ApolloGateway } from '@apollo/gateway';
import {
  CHAOS_HEADER,
  createDependencyPolicy,
  createGraphQLServer,
  createHttpServer,
  DependencyRegistry,
  type HttpServer,
  installAuth,
  installDependencyRoutes,
  type Logger,
  mountGraphQL,
  parseChaos,
  type TokenVerifier,
} from '@edgeway/platform';
import { Agent } from 'undici';
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
  halfOpenAfterMs: number;
  /** Honour the x-chaos header. */
  chaosEnabled: boolean;
}

export interface GatewayApp extends HttpServer {
  dependencies: DependencyRegistry;
  stop(): Promise<void>;
}

/** The gateway: federation over the supergraph file, behind the platform's HTTP edge. */
export async function buildGateway(
  config: GatewayAppConfig,
  deps: { logger: Logger; verify: TokenVerifier },
): Promise<GatewayApp> {
  const pool = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const dependencies = new DependencyRegistry();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath),
    logger: deps.logger.child({ component: 'federation' }),
    buildService: ({ name, url }) => {
      // A subgraph that is down costs only its own fields, so none is required for readiness.
      const policy = dependencies.add(
        createDependencyPolicy({ name, timeoutMs: config.upstreamTimeoutMs, halfOpenAfterMs: config.halfOpenAfterMs }),
        { required: false },
      );
      return new SubgraphDataSource(name, config.subgraphUrls[name] ?? url ?? '', createSubgraphFetcher(policy, pool));
    },
  });
  const server = createGraphQLServer<GatewayContext>({ source: { gateway }, production: config.production });
  await server.start();

  const http = createHttpServer({ logger: deps.logger, errorShape: 'graphql' });
  installAuth(http.app, deps.verify);
  installDependencyRoutes(http.app, dependencies);
  mountGraphQL<GatewayContext>(http.app, {
    server,
    context: async (req) => ({
      requestId: req.id,
      principal: req.principal,
      chaos: parseChaos(config.chaosEnabled ? req.headers[CHAOS_HEADER] : undefined),
    }),
  });

  return {
    ...http,
    dependencies,
    async stop() {
      await server.stop();
      await pool.close();
    },
  };
}

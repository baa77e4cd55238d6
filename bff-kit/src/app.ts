import {
  type Cache,
  chaosEnabled,
  createCache,
  createGraphQLServer,
  type DependencyRegistry,
  createHttpServer,
  degradationPlugin,
  type HttpServer,
  installAuth,
  installDependencyRoutes,
  installGraphQLIde,
  type Logger,
  mountGraphQL,
  type TokenVerifier,
} from '@edgeway/platform';
import type { BffConfig } from './config.js';
import { type BffContext, createContextFactory, type OwnLoaders, type Upstreams } from './context.js';
import type { Feature } from './feature.js';
import { buildBffSchema } from './schema.js';

/** What makes one BFF differ from another; everything else is the kit's. */
export interface Bff<Own> {
  /** The service name in logs and traces, and of its client contract (`shared/contracts/<name>.graphql`). */
  name: string;
  /** The PORT it listens on when none is set (SPEC section 2). */
  port: number;
  features: ReadonlyArray<Feature>;
  /** Loaders for the BFF's own gateway operations, beside the shared ones (see `SharedLoaders`). */
  ownLoaders: OwnLoaders<Own>;
  /** What the development IDE at `GET /graphql` opens with. @default a comment on how to start */
  ideQuery?: string;
}

export interface BffDeps extends Upstreams {
  verifier: TokenVerifier;
  logger: Logger;
  /** The upstreams' policies, for `/health/dependencies` and readiness (absent with fake upstreams). */
  dependencies?: DependencyRegistry;
  /** Where last good answers are kept for STALE fallbacks. @default an in-memory cache */
  lastGood?: Cache;
}

/** A BFF's HTTP server from its definition, config and deps (tests pass fake upstreams). Never listens. */
export async function buildBffApp<Own>(
  bff: Bff<Own>,
  config: Pick<BffConfig, 'NODE_ENV'> & Partial<Pick<BffConfig, 'CHAOS_ENABLED'>>,
  deps: BffDeps,
): Promise<HttpServer> {
  const { dependencies } = deps;
  const server = createHttpServer({
    logger: deps.logger,
    errorShape: 'graphql',
    isReady: dependencies && (() => dependencies.requiredAvailable()),
  });
  installAuth(server.app, deps.verifier);
  if (dependencies) installDependencyRoutes(server.app, dependencies);
  if (config.NODE_ENV !== 'production') {
    installGraphQLIde(server.app, { title: bff.name, ...(bff.ideQuery && { defaultQuery: bff.ideQuery }) });
  }
  const apollo = createGraphQLServer<BffContext<Own>>({
    source: { schema: buildBffSchema(bff.features) },
    production: config.NODE_ENV === 'production',
    plugins: [degradationPlugin((context) => context.degradation)],
  });
  await apollo.start();
  server.app.addHook('onClose', () => apollo.stop());
  mountGraphQL(server.app, {
    server: apollo,
    context: createContextFactory(deps, bff.ownLoaders, {
      chaosEnabled: chaosEnabled(config),
      lastGood: deps.lastGood ?? createCache({ namespace: `${bff.name}:last-good` }),
    }),
  });
  return server;
}

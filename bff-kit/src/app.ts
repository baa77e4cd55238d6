import {
  type Cache,
  ConfigError,
  chaosEnabled,
  compileRequestRules,
  createCache,
  createGraphQLServer,
  type DependencyRegistry,
  createHttpServer,
  degradationPlugin,
  type EdgeSecurityConfig,
  edgeSecurityOf,
  type HttpServer,
  installDependencyRoutes,
  installEdge,
  installGraphQLIde,
  type Logger,
  installPersistedOperations,
  mountGraphQL,
  operationLimitsOf,
  type PersistedQueryManifest,
  type PersistedQueryStore,
  type TokenVerifier,
} from '@edgeway/platform';
import type { BffConfig } from './config.js';
import { type BffContext, createContextFactory, type OwnLoaders, type Upstreams } from './context.js';
import type { Feature } from './feature.js';
import { buildBffSchema } from './schema.js';

/** What makes one BFF differ from another; everything else is the kit's. */
export interface Bff<Own> {
  /** The service name in logs and traces, and of its client contract (`contracts/<name>.graphql`). */
  name: string;
  /** Its release, sent to the gateway with its name (`apollographql-client-version`). @default none */
  version?: string;
  /** The PORT it listens on when none is set (docs/contract.md §2). */
  port: number;
  features: ReadonlyArray<Feature>;
  /** Loaders for the BFF's own gateway operations, beside the shared ones (see `SharedLoaders`). */
  ownLoaders: OwnLoaders<Own>;
  /** What the development IDE at `GET /graphql` opens with. @default a comment on how to start */
  ideQuery?: string;
  /** The client app's operations (Apollo's persisted query manifest), served by id. @default none */
  persistedOperations?: PersistedQueryManifest;
}

export interface BffDeps extends Upstreams {
  verifier: TokenVerifier;
  logger: Logger;
  /** The upstreams' policies, for `/health/dependencies` (absent with fake upstreams). */
  dependencies?: DependencyRegistry;
  /** Where last good answers are kept for STALE fallbacks. @default an in-memory cache */
  lastGood?: Cache;
  /** Where product cards are kept while the gateway's Cache-Control allows. @default an in-memory cache */
  products?: Cache;
  /** Where automatic persisted queries are kept. @default Apollo's bounded in-memory LRU */
  persistedQueries?: PersistedQueryStore;
}

type EdgeConfig = Partial<
  Pick<BffConfig, 'CHAOS_ENABLED' | 'PERSISTED_ONLY' | 'PROPAGATE_HEADERS' | 'REDIS_URL' | keyof EdgeSecurityConfig>
>;

/** A BFF's HTTP server from its definition, config and deps (tests pass fake upstreams). Never listens. */
export async function buildBffApp<Own>(
  bff: Bff<Own>,
  config: Pick<BffConfig, 'NODE_ENV'> & EdgeConfig,
  deps: BffDeps,
): Promise<HttpServer> {
  const { dependencies } = deps;
  const security = edgeSecurityOf(config);
  const server = createHttpServer({
    logger: deps.logger,
    errorShape: 'graphql',
    bodyLimit: security.BODY_LIMIT_BYTES,
    trustProxy: security.TRUST_PROXY,
    requestTimeoutMs: security.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: security.HEADERS_TIMEOUT_MS,
    // Not ready only while draining, never because of a dependency's circuit: every replica
    // shares the gateway, so one outage would take them all out of the Service at once, and a
    // BFF without the gateway still answers (degraded) better than no endpoint at all.
  });
  const { logger, verifier } = deps;
  await installEdge(server.app, { service: bff.name, security, verifier, redisUrl: config.REDIS_URL, logger });
  installPersisted(server, bff, config);
  if (dependencies) installDependencyRoutes(server.app, dependencies);
  if (config.NODE_ENV !== 'production') {
    installGraphQLIde(server.app, { title: bff.name, ...(bff.ideQuery && { defaultQuery: bff.ideQuery }) });
  }
  const apollo = createGraphQLServer<BffContext<Own>>({
    source: { schema: buildBffSchema(bff.features) },
    production: config.NODE_ENV === 'production',
    plugins: [degradationPlugin((context) => context.degradation)],
    limits: operationLimitsOf(security),
    ...(deps.persistedQueries && { persistedQueries: { cache: deps.persistedQueries } }),
  });
  await apollo.start();
  server.app.addHook('onClose', () => apollo.stop());
  mountGraphQL(server.app, {
    server: apollo,
    maxResponseBytes: security.MAX_RESPONSE_BYTES,
    context: createContextFactory(deps, bff.ownLoaders, {
      chaosEnabled: chaosEnabled(config),
      propagate: compileRequestRules(config.PROPAGATE_HEADERS ?? []),
      lastGood: deps.lastGood ?? createCache({ namespace: `${bff.name}:last-good` }),
      products: deps.products ?? createCache({ namespace: `${bff.name}:products` }),
    }),
  });
  return server;
}

/** A BFF with a manifest runs only its operations in production (or with PERSISTED_ONLY=true). */
function installPersisted<Own>(server: HttpServer, bff: Bff<Own>, config: Pick<BffConfig, 'NODE_ENV'> & EdgeConfig) {
  if (!bff.persistedOperations) {
    if (config.PERSISTED_ONLY) throw new ConfigError([`PERSISTED_ONLY: ${bff.name} has no persisted operations`]);
    return;
  }
  const only = config.PERSISTED_ONLY ?? config.NODE_ENV === 'production';
  installPersistedOperations(server.app, { manifest: bff.persistedOperations, only });
}

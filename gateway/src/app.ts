import { ApolloGateway } from '@apollo/gateway';
import {
  type ApiKeyEntry,
  CHAOS_HEADER,
  createDependencyPolicy,
  readinessProbe,
  createInternalSigner,
  createGraphQLServer,
  createHttpServer,
  DependencyRegistry,
  type EdgeSecurityConfig,
  type HttpServer,
  installDependencyRoutes,
  installEdge,
  installGraphQLIde,
  type Logger,
  mountGraphQL,
  type PolicyOptions,
  operationLimitsOf,
  parseChaos,
  createResponseCache,
  type TokenVerifier,
} from '@edgeway/platform';
import { type CanarySettings, callerOf } from './canary.js';
import { CanaryRoutes } from './canaryRouting.js';
import type { GatewayContext } from './context.js';
import { SubgraphDataSource } from './dataSource.js';
import { createSubgraphFetcher, createSubgraphPool } from './fetcher.js';
import { cacheExecutorOperations } from './hotPath.js';
import { installCompiledShaping } from './shaping.js';
import { supergraphFromFile } from './supergraph.js';

// What the IDE opens with: the federation benchmark's shape, across four subgraphs.
const IDE_QUERY = `# The supergraph. Run: the ▶ button. Every field: Docs (top left).
{
  topProducts(first: 3) {
    upc name price inStock shippingEstimate
    reviews { rating author { username } }
  }
}
`;

export interface GatewayAppConfig {
  production: boolean;
  supergraphPath: string;
  /** Per-subgraph URL overrides; the supergraph's own URL otherwise. */
  subgraphUrls: Readonly<Record<string, string>>;
  upstreamTimeoutMs: number;
  halfOpenAfterMs: number;
  /** Honour the x-chaos header. */
  chaosEnabled: boolean;
  /** Rate limits, operation limits, body limit, CORS (`edgeSecurityEnv`). */
  security: EdgeSecurityConfig;
  /** Server-to-server consumers (`API_KEYS`). */
  apiKeys: readonly ApiKeyEntry[];
  /** Shared rate-limit counters when set. */
  redisUrl?: string | undefined;
  /** Secret the subgraph credentials are signed with (`internalSigningKey(config)`). */
  internalSigningKey: string;
  /** Cache whole answers the subgraphs' cache hints allow. @default false */
  responseCache?: boolean;
  /** Share identical in-flight subgraph queries. @default true */
  dedupe?: boolean;
  /** Largest subgraph answer read; a larger one fails that fetch only. @default 4 MiB */
  subgraphMaxResponseBytes?: number;
  /** Subgraph requests one operation may make; past it, fetches fail with OPERATION_LIMIT_EXCEEDED. @default 50 */
  maxSubgraphFetches?: number;
  /** Canary deployments by subgraph name (`GatewayApp.canaries.apply` changes them while running). @default none */
  canaries?: Readonly<Record<string, CanarySettings | undefined>>;
}

export interface GatewayApp extends HttpServer {
  dependencies: DependencyRegistry;
  canaries: CanaryRoutes;
  stop(): Promise<void>;
}

/** The gateway: federation over the supergraph file, behind the platform's HTTP edge. */
export async function buildGateway(
  config: GatewayAppConfig,
  deps: { logger: Logger; verify: TokenVerifier },
): Promise<GatewayApp> {
  cacheExecutorOperations();
  installCompiledShaping();
  const pool = createSubgraphPool(config.subgraphMaxResponseBytes);
  const dependencies = new DependencyRegistry();
  const sign = createInternalSigner({ secret: config.internalSigningKey });
  /** A subgraph deployment's resilient fetcher, under a policy of its own named `name`. */
  const connect = (name: string, target: string, overrides: Partial<PolicyOptions> = {}) => {
    const policy = createDependencyPolicy({
      name,
      timeoutMs: config.upstreamTimeoutMs,
      halfOpenAfterMs: config.halfOpenAfterMs,
      ...(URL.canParse(target) && { probe: readinessProbe(pool, new URL(target).origin) }),
      ...overrides,
    });
    const fetcher = createSubgraphFetcher(policy, pool, {
      dedupe: config.dedupe ?? true,
      maxResponseBytes: config.subgraphMaxResponseBytes,
    });
    return { policy, fetcher };
  };
  const canaries = new CanaryRoutes({
    registry: dependencies,
    logger: deps.logger,
    connect: (_subgraph, name, canary) =>
      connect(name, canary.url, { ...canary.breaker, ...(canary.timeoutMs && { timeoutMs: canary.timeoutMs }) }),
  });
  canaries.apply(config.canaries ?? {});
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath, { logger: deps.logger }),
    logger: deps.logger.child({ component: 'federation' }),
    buildService: ({ name, url }) => {
      // A subgraph that is down costs only its own fields, so none is required for readiness.
      const target = config.subgraphUrls[name] ?? url ?? '';
      const { policy, fetcher } = connect(name, target);
      dependencies.add(policy, { required: false });
      return new SubgraphDataSource(name, target, fetcher, sign, canaries.routeFor(name));
    },
  });
  // Requests that inject faults get an answer of their own.
  const responseCache = config.responseCache
    ? createResponseCache({
        redisUrl: config.redisUrl,
        sessionId: (req) => req.principal?.sub ?? null,
        bypass: (req) => config.chaosEnabled && req.headers[CHAOS_HEADER] !== undefined,
      })
    : undefined;
  const server = createGraphQLServer<GatewayContext>({
    source: { gateway },
    production: config.production,
    limits: operationLimitsOf(config.security),
    plugins: responseCache ? [responseCache.plugin<GatewayContext>()] : [],
  });
  await server.start();

  const http = createHttpServer({
    logger: deps.logger,
    errorShape: 'graphql',
    bodyLimit: config.security.BODY_LIMIT_BYTES,
    trustProxy: config.security.TRUST_PROXY,
    requestTimeoutMs: config.security.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: config.security.HEADERS_TIMEOUT_MS,
  });
  await installEdge(http.app, {
    service: 'gateway',
    security: config.security,
    verifier: deps.verify,
    apiKeys: config.apiKeys,
    redisUrl: config.redisUrl,
    logger: deps.logger,
  });
  installDependencyRoutes(http.app, dependencies);
  if (!config.production) installGraphQLIde(http.app, { title: 'gateway', defaultQuery: IDE_QUERY });
  mountGraphQL<GatewayContext>(http.app, {
    server,
    responseCache,
    maxResponseBytes: config.security.MAX_RESPONSE_BYTES,
    context: async (req) => ({
      requestId: req.id,
      principal: req.principal,
      chaos: parseChaos(config.chaosEnabled ? req.headers[CHAOS_HEADER] : undefined),
      fetchBudget: { remaining: config.maxSubgraphFetches ?? 50 },
      caller: callerOf(req),
    }),
  });

  return {
    ...http,
    dependencies,
    canaries,
    async stop() {
      await server.stop();
      canaries.close();
      await pool.close();
      await responseCache?.close();
    },
  };
}

import { ApolloGateway } from '@apollo/gateway';
import {
  type ApiKeyEntry,
  CHAOS_HEADER,
  compileRequestRules,
  createInternalSigner,
  createGraphQLServer,
  createHttpServer,
  DependencyRegistry,
  type EdgeSecurityConfig,
  type HttpServer,
  type IncomingHeaders,
  installDependencyRoutes,
  installEdge,
  installGraphQLIde,
  type Logger,
  mountGraphQL,
  operationLimitsOf,
  parseChaos,
  type RequestHeaderMapper,
  createResponseCache,
  type TokenVerifier,
} from '@edgeway/platform';
import { installApolloPatches } from './apolloPatches.js';
import type { GatewayContext } from './context.js';
import type { SubgraphsSection } from './config/file.js';
import { resolveSubgraphSettings, type SubgraphEnvDefaults, urlEnvOf } from './config/subgraphs.js';
import { DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES } from './fetcher.js';
import { createSubgraphPools, type SubgraphServiceDeps, subgraphPolicy, subgraphService } from './subgraphService.js';
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
  /** Per-subgraph URL overrides by name; they win over everything else. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** `SUBGRAPH_<NAME>_URL` variables by variable name, for whichever subgraphs the supergraph has. @default none */
  subgraphUrlEnvs?: Readonly<Record<string, string>>;
  /** The configuration file's `subgraphs` section (`GATEWAY_CONFIG`). @default every subgraph on the defaults */
  subgraphs?: SubgraphsSection | undefined;
  /** Each subgraph's deadline unless the file sets one (`UPSTREAM_TIMEOUT_MS`). */
  upstreamTimeoutMs: number;
  /** Each subgraph's breaker's longest wait unless the file sets one (`BREAKER_HALF_OPEN_AFTER_MS`). */
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
  // main.ts installs them first, with the configured mode; this is for gateways built elsewhere.
  installApolloPatches({ logger: deps.logger });
  const pools = createSubgraphPools();
  const dependencies = new DependencyRegistry();
  const shared: SubgraphServiceDeps = {
    dependencies,
    sign: createInternalSigner({ secret: config.internalSigningKey }),
    pools,
    dedupe: config.dedupe ?? true,
  };
  const envDefaults: SubgraphEnvDefaults = {
    urlOf: (name) => config.subgraphUrls[name] ?? config.subgraphUrlEnvs?.[urlEnvOf(name)],
    timeoutMs: config.upstreamTimeoutMs,
    halfOpenAfterMs: config.halfOpenAfterMs,
    maxResponseBytes: config.subgraphMaxResponseBytes ?? DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES,
  };
  // Every header a subgraph gets from the client can change its answer, so it is part of the
  // whole-response cache's key: callers whose propagated headers differ never share an answer.
  const propagated = new Map<string, RequestHeaderMapper>();
  const varyOf = (req: { headers: IncomingHeaders }) =>
    propagated.size === 0 ? '' : JSON.stringify([...propagated.values()].map((headersOf) => headersOf(req.headers)));
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath, { logger: deps.logger }),
    logger: deps.logger.child({ component: 'federation' }),
    // Each subgraph's settings (file, then environment, then defaults) become its policy and data source.
    buildService: ({ name, url }) => {
      const settings = resolveSubgraphSettings(name, url, config.subgraphs, envDefaults);
      if (settings.headers.request.length > 0) propagated.set(name, compileRequestRules(settings.headers.request));
      return subgraphService(settings, subgraphPolicy(settings, shared), shared);
    },
  });
  // Requests that inject faults get an answer of their own.
  const responseCache = config.responseCache
    ? createResponseCache({
        redisUrl: config.redisUrl,
        sessionId: (req) => req.principal?.sub ?? null,
        bypass: (req) => config.chaosEnabled && req.headers[CHAOS_HEADER] !== undefined,
        vary: varyOf,
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
    context: async (req, reply) => ({
      requestId: req.id,
      principal: req.principal,
      chaos: parseChaos(config.chaosEnabled ? req.headers[CHAOS_HEADER] : undefined),
      fetchBudget: { remaining: config.maxSubgraphFetches ?? 50 },
      clientHeaders: req.headers,
      answerHeader: (name, value) => void reply.header(name, value),
    }),
  });

  return {
    ...http,
    dependencies,
    async stop() {
      await server.stop();
      await pools.close();
      await responseCache?.close();
    },
  };
}

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
import { callerOf } from './canary.js';
import { CanaryRoutes, canariesOf, canarySubgraphSettings } from './canaryRoutes.js';
import { watchConfigFile } from './configReload.js';
import type { GatewayContext } from './context.js';
import { parseGatewayFile, type SubgraphsSection } from './config/file.js';
import {
  resolveSubgraphSettings,
  type SubgraphEnvDefaults,
  type SubgraphSettings,
  urlEnvOf,
} from './config/subgraphs.js';
import { DEFAULT_SUBGRAPH_MAX_RESPONSE_BYTES } from './fetcher.js';
import {
  createSubgraphPools,
  type SubgraphServiceDeps,
  subgraphFetcher,
  subgraphPolicy,
  subgraphService,
} from './subgraphService.js';
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
  /** The file `subgraphs` came from: watched, and its canaries applied when it changes. @default not watched */
  configFile?: string | undefined;
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
  /** The subgraphs' canaries: `apply` changes them while running (the file watch calls it). */
  canaries: CanaryRoutes;
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
  // Each subgraph's settings as resolved; its canary's derive from them (a route connects only
  // once buildService has resolved its subgraph).
  const resolved = new Map<string, SubgraphSettings>();
  const canaries = new CanaryRoutes({
    registry: dependencies,
    logger: deps.logger,
    connect: (subgraph, name, canary) => {
      const settings = canarySubgraphSettings(resolved.get(subgraph)!, name, canary);
      const policy = subgraphPolicy(settings, shared);
      return { policy, fetcher: subgraphFetcher(settings, policy, shared) };
    },
  });
  canaries.apply(canariesOf(config.subgraphs));
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath, { logger: deps.logger }),
    logger: deps.logger.child({ component: 'federation' }),
    // Each subgraph's settings (file, then environment, then defaults) become its policy and data source.
    buildService: ({ name, url }) => {
      const settings = resolveSubgraphSettings(name, url, config.subgraphs, envDefaults);
      if (settings.headers.request.length > 0) propagated.set(name, compileRequestRules(settings.headers.request));
      resolved.set(name, settings);
      return subgraphService(settings, subgraphPolicy(settings, shared), shared, canaries.routeFor(name));
    },
  });
  // Requests that inject faults get an answer of their own.
  const responseCache = config.responseCache
    ? createResponseCache({
        redisUrl: config.redisUrl,
        sessionId: (req) => req.principal?.sub ?? null,
        // A caller a canary is forced on (a tester's header, a beta user) sees the canary, not a stable answer kept earlier.
        bypass: (req) =>
          (config.chaosEnabled && req.headers[CHAOS_HEADER] !== undefined) || canaries.forces(callerOf(req)),
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
      caller: callerOf(req),
      answerHeader: (name, value) => void reply.header(name, value),
    }),
  });

  const watch =
    config.configFile === undefined
      ? undefined
      : watchConfigFile(config.configFile, {
          logger: deps.logger,
          initial: { subgraphs: config.subgraphs },
          // Checked against the subgraphs the gateway serves now (the supergraph may have been reloaded).
          parse: (text) => parseGatewayFile(text, [...resolved.keys()]),
          apply: (file) => canaries.apply(canariesOf(file.subgraphs)),
        });

  return {
    ...http,
    dependencies,
    canaries,
    async stop() {
      watch?.close();
      await server.stop();
      canaries.close();
      await pools.close();
      await responseCache?.close();
    },
  };
}

export { authenticate, installAuth } from './auth/hook.js';
export {
  bodyHash,
  checkInternalRequest,
  createInternalSigner,
  createInternalVerifier,
  DEVELOPMENT_SIGNING_KEY,
  INTERNAL_CREDENTIAL_HEADER,
  type InternalCaller,
  type InternalSigner,
  type InternalVerifier,
  internalSigningKey,
} from './auth/identity.js';
export {
  ASYMMETRIC_ALGORITHMS,
  createTokenVerifier,
  type Principal,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './auth/verify.js';
export { ConfigError, chaosEnabled, commonEnv, edgeEnv, envTypes, loadConfig, z } from './config/index.js';
export {
  AppError,
  ERROR_CATALOG,
  type ErrorCode,
  isErrorCode,
  renderGraphQLErrorBody,
  renderRestError,
  statusOf,
} from './errors/catalog.js';
export { maskError, scrubInternals } from './errors/mask.js';
export {
  createGraphQLClient,
  type GraphQLCallOptions,
  type GraphQLClient,
  type GraphQLResponse,
  type TypedDocumentNode,
} from './graphql/client.js';
export { selectedArguments, selects } from './graphql/lookahead.js';
export { errorAt, fieldOf, type ResultOrigin } from './graphql/partial.js';
export { assertKeyCount, MAX_PAGE_SIZE, nonNegativeFirst, PAGE_LIMIT_MESSAGES, pageSize } from './graphql/pages.js';
export { degradationPlugin } from './graphql/plugins/degradation.js';
export { ANY_INDEX, type DegradedEntry, groupDegraded } from './graphql/degradedGroups.js';
export {
  type CachedAnswer,
  createResponseCache,
  type ResponseCache,
  type ResponseCacheOptions,
} from './graphql/responseCache.js';
export { type GraphQLRouteOptions, isGraphQLRoute, mountGraphQL } from './graphql/route.js';
export { ApolloServer as servedApolloServer } from './graphql/apollo.js';
export { createGraphQLServer, type GraphQLServerOptions, type SchemaSource } from './graphql/server.js';
export {
  buildSubgraphServer,
  type SubgraphAppDeps,
  type SubgraphCaller,
  type SubgraphServerOptions,
} from './graphql/subgraph.js';
export { installDependencyRoutes } from './http/dependencies.js';
export {
  type AnswerHeaders,
  compileRequestRules,
  compileResponseRules,
  type IncomingHeaders,
  propagateHeadersEnv,
  type RequestHeaderMapper,
  type RequestHeaderRule,
  RESERVED_HEADERS,
  requestHeaderRule,
  type ResponseHeaderPicker,
  type ResponseHeaderRule,
  responseHeaderRule,
} from './http/headerRules.js';
export { type RunOptions, runServer } from './http/lifecycle.js';
export { workerCountEnv } from './cluster/count.js';
export { type PrimaryOptions, runPrimary } from './cluster/primary.js';
export { workerSlot } from './cluster/worker.js';
export { REQUEST_ID_HEADER, requestIdFrom } from './http/requestId.js';
export { createHttpServer, type HttpServer, type HttpServerOptions } from './http/server.js';
export { createLogger, type Logger, REDACT_PATHS } from './log/logger.js';
export { startService } from './main.js';
export { CHAOS_HEADER, type ChaosDirective, type ChaosPlan, formatChaos, parseChaos } from './resilience/chaos.js';
export {
  createDegradationCollector,
  type Degradation,
  type DegradationCollector,
  type Fallback,
  type FallbackSite,
  orUnavailable,
  withFallback,
} from './resilience/degradation.js';
export { Deadline } from './resilience/deadline.js';
export { type DegradeReason, isUpstreamError, UpstreamError, withStale } from './resilience/errors.js';
export {
  type Attempt,
  type CallOptions,
  type CircuitStateName,
  createDependencyPolicy,
  type DependencyPolicy,
  type DependencyStatus,
  type PolicyOptions,
} from './resilience/policy.js';
export { type DependencyEntry, DependencyRegistry } from './resilience/registry.js';
export {
  createUpstream,
  freshConnection,
  readCappedText,
  readinessProbe,
  type Upstream,
  type UpstreamOptions,
  type UpstreamRequest,
} from './resilience/upstream.js';
export type { ReadinessProbe } from './resilience/recovery.js';
/** undici's dispatchers without its index (fetch, WebSocket, Node's bundled copy): `resilience/undici.ts`. */
export * as undici from './resilience/undici.js';
export { flushTelemetry } from './telemetry/flush.js';
export {
  currentTraceId,
  inUnrecordedTrace,
  setSpanAttributes,
  spanEvent,
  traceHeaders,
  withSpan,
} from './telemetry/trace.js';
export { type Cache, type CacheOptions, createCache } from './cache/index.js';
export * as metrics from './metrics/index.js';
export { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER } from './http/observe.js';
export { DEVELOPMENT_TOKEN_HEADERS, type GraphQLIdeOptions, installGraphQLIde } from './graphql/ide.js';
export {
  API_KEY_HEADER,
  type ApiClient,
  type ApiKeyEntry,
  createApiKeyVerifier,
  identifyApiKey,
  installApiKeys,
  parseApiKeys,
  sha256Hex,
} from './auth/apiKeys.js';
export { createRemoteKeys, type RemoteKeys, type RemoteKeysOptions } from './auth/jwks.js';
export {
  apiKeysEnv,
  defaultEdgeSecurity,
  type EdgeSecurityConfig,
  edgeSecurityEnv,
  internalEnv,
} from './config/security.js';
export { persistedQueryStore, type PersistedQueryStore } from './cache/apq.js';
export {
  buildPersistedManifest,
  installPersistedOperations,
  type PersistedOperationsOptions,
  type PersistedQueryManifest,
} from './graphql/persisted.js';
export { type OperationLimitOptions, operationLimits } from './graphql/plugins/limits.js';
export { installCors } from './http/cors.js';
export { edgeSecurityOf, type EdgeOptions, installEdge, operationLimitsOf } from './http/edge.js';
export { createRateLimiter, installRateLimit, type RateLimiter, type RateLimitOptions } from './http/rateLimit.js';
export { createRateLimitStore, type RateDecision, type RateLimitStore } from './http/rateLimitStore.js';
export { runSubgraph } from './graphql/runSubgraph.js';

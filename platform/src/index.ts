export { installAuth } from './auth/hook.js';
export { identityHeaders, USER_ID_HEADER, userIdFrom } from './auth/identity.js';
export { createTokenVerifier, type Principal, type TokenVerifier, type TokenVerifierOptions } from './auth/verify.js';
export { ConfigError, commonEnv, edgeEnv, envTypes, loadConfig, z } from './config/index.js';
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
export { type GraphQLRouteOptions, mountGraphQL } from './graphql/route.js';
export { createGraphQLServer, type GraphQLServerOptions, type SchemaSource } from './graphql/server.js';
export { type RunOptions, runServer } from './http/lifecycle.js';
export { REQUEST_ID_HEADER, requestIdFrom } from './http/requestId.js';
export { createHttpServer, type HttpServer, type HttpServerOptions } from './http/server.js';
export { createLogger, type Logger, REDACT_PATHS } from './log/logger.js';
export { startService } from './main.js';
export { type DegradeReason, isUpstreamError, UpstreamError } from './resilience/errors.js';
export { createUpstream, type Upstream, type UpstreamOptions, type UpstreamRequest } from './resilience/upstream.js';

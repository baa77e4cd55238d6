import type { ChildLoggerOptions } from 'pino';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { AppError, renderGraphQLErrorBody, renderRestError } from '../errors/catalog.js';
import type { Logger } from '../log/logger.js';
import { requestLogger } from '../log/requestLogger.js';
import { currentTraceId } from '../telemetry/trace.js';
import { initMetrics } from '../metrics/index.js';
import { clientErrorHandler, installExpectContinue, rememberRequestId } from './clientErrors.js';
import { installLingeringClose } from './linger.js';
import { installMetricsRoute } from './metrics.js';
import { countError, installRequestObservation } from './observe.js';
import { installOperatorPort, type OperatorPort } from './operatorPort.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './requestId.js';
import { installServerSpans } from './serverSpan.js';

export interface HttpServerOptions {
  logger: Logger;
  /** Errors render as `{errors:[...]}` (GraphQL endpoints) or `{code, message}` (REST). */
  errorShape: 'graphql' | 'rest';
  /** Largest accepted body. @default 1 MiB */
  bodyLimit?: number;
  /** Extra readiness condition (schema loaded, ...); draining always makes the server unready. */
  isReady?: () => boolean;
  /** Proxies whose X-Forwarded-For gives `req.ip` (`TRUST_PROXY`). @default none */
  trustProxy?: false | number | readonly string[];
  /**
   * Longest time to receive a whole request, headers and body (`REQUEST_TIMEOUT_MS`): a body
   * trickled in is cut off with 408 `REQUEST_TIMEOUT`. @default 30000
   */
  requestTimeoutMs?: number;
  /** Longest time to receive the request headers (`HEADERS_TIMEOUT_MS`). @default 10000 */
  headersTimeoutMs?: number;
}

export interface HttpServer {
  app: FastifyInstance;
  /** Marks the server as draining: /readyz answers 503 from now on. */
  startDraining(): void;
  /** Where `/metrics` and `/health/dependencies` go when they get a port of their own (`METRICS_PORT`). */
  operatorPort: OperatorPort;
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('BAD_USER_INPUT', 'Unsupported content type: send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BAD_USER_INPUT', 'The request body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_USER_INPUT', 'The request body is not valid JSON');
  }
  if (error.validation) return new AppError('BAD_USER_INPUT', `Invalid request: ${error.message}`);
  if (error.statusCode === 400 && error instanceof SyntaxError) {
    return new AppError('BAD_USER_INPUT', 'The request body is not valid JSON');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('BAD_USER_INPUT', 'Bad request');
  }
  return new AppError('INTERNAL_SERVER_ERROR');
}

/**
 * The HTTP shell every Edgeway service runs in: request ids, liveness and readiness, one access
 * log line per request, and errors rendered from the catalog (never a stack trace).
 */
/** Fastify's form of the trusted proxies: the first `n` hops, or the addresses' comma-separated list. */
function trustProxyOf(
  trusted: HttpServerOptions['trustProxy'],
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof trusted === 'number') return (_address, hop) => hop < trusted;
  return trusted && trusted.length > 0 ? trusted.join(',') : false;
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  let draining = false;
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: trustProxyOf(options.trustProxy),
    genReqId: requestIdFrom,
    // One access-log line per request is written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // A request that reaches a closing server came on a connection busy when the drain began
    // (idle ones are closed then): it is served, and its answer closes the connection (onSend
    // below). Fastify's own refusal would answer it with a body outside the error catalog.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    clientErrorHandler: clientErrorHandler(options.errorShape, options.logger),
  });
  // req.log: its pino child made only when the request writes a line (log/requestLogger.ts).
  app.setChildLoggerFactory((logger, bindings, childOptions) =>
    requestLogger(logger as Logger, bindings, childOptions as ChildLoggerOptions),
  );
  const requestTimeout = app.server.requestTimeout;
  app.server.headersTimeout = Math.min(options.headersTimeoutMs ?? 10_000, requestTimeout);
  // Node checks both timeouts on this interval (30 s by default, read when listening): checked
  // every second, a slow request is cut off close to its timeout rather than up to 30 s late.
  (app.server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(1000, requestTimeout);

  // First: every later hook, the handler and the access-log line run in the request's trace.
  installServerSpans(app);
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    rememberRequestId(req.raw.socket, req.id, reply.raw);
  });
  const operatorPort = installOperatorPort(app);
  installExpectContinue(app);
  // While draining, every answer closes its connection: a keep-alive client (a load balancer, a
  // BFF's pool) would otherwise hold an idle socket open and the drain would wait for it.
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  installRequestObservation(app);
  installLingeringClose(app, { isDraining: () => draining });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error }, 'unhandled error');
    countError(req, appError.code);
    reply.code(appError.status);
    if (appError.code === 'RATE_LIMITED' && typeof appError.extensions.retryAfter === 'number') {
      reply.header('retry-after', String(appError.extensions.retryAfter));
    }
    if (options.errorShape === 'rest') return renderRestError(appError);
    const traceId = currentTraceId();
    return { ...renderGraphQLErrorBody(appError), ...(traceId ? { extensions: { traceId } } : {}) };
  });

  app.setNotFoundHandler((_req, reply) => {
    const error = new AppError('NOT_FOUND', 'No such route');
    reply.code(404);
    return options.errorShape === 'graphql' ? renderGraphQLErrorBody(error) : renderRestError(error);
  });

  const service = options.logger.bindings().service;
  initMetrics(typeof service === 'string' ? service : 'edgeway');
  installMetricsRoute(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ready = !draining && (options.isReady?.() ?? true);
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : draining ? 'draining' : 'starting' };
  });

  return {
    app,
    operatorPort,
    startDraining: () => {
      draining = true;
    },
  };
}

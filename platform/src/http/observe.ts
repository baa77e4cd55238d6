import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestDuration, requestErrors, requestsInFlight, requestsTotal } from '../metrics/index.js';
import { clientLabel, clientVersionLabel, operationLabel as graphqlOperationLabel } from '../metrics/labels.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The GraphQL operation's name: the body's `operationName`, then the one the document resolved to. */
    operationName?: string;
    /** The operation parsed and validated (or came from a cached answer): its name may label metrics. */
    operationValidated?: boolean;
  }
  interface FastifyContextConfig {
    /** Set by `mountGraphQL`: the route's requests are labelled by GraphQL operation. */
    graphql?: boolean;
  }
}

/** Probes and scrapes (by the route the router chose): neither logged, counted nor traced. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);
export const quiet = (req: FastifyRequest): boolean => QUIET.has(req.routeOptions.url ?? '');
export const CLIENT_NAME_HEADER = 'apollographql-client-name';
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** The operation a request counts under: its GraphQL operation, or `METHOD /route` for REST. */
export function operationLabel(req: FastifyRequest): string {
  if (req.routeOptions.config?.graphql) {
    const client = clientLabel(header(req, CLIENT_NAME_HEADER));
    return graphqlOperationLabel(client, req.operationName, req.operationValidated === true);
  }
  return req.routeOptions.url ? `${req.method} ${req.routeOptions.url}` : 'unmatched';
}

/** Counts one error answered with `code` (catalog codes) for this request's operation. */
export function countError(req: FastifyRequest, code: string): void {
  requestErrors.labels(operationLabel(req), code).inc();
}

function record(req: FastifyRequest, reply: FastifyReply): void {
  const operation = operationLabel(req);
  const clientName = clientLabel(header(req, CLIENT_NAME_HEADER));
  requestsTotal
    .labels(
      operation,
      clientName,
      clientVersionLabel(clientName, header(req, CLIENT_VERSION_HEADER)),
      String(reply.statusCode),
    )
    .inc();
  requestDuration.labels(operation, clientName).observe(reply.elapsedTime / 1000);
}

/**
 * Per request: requests in flight, then one access-log line (pino adds trace_id and span_id: the
 * server span's, see serverSpan.ts) and the request metrics.
 */
export function installRequestObservation(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (quiet(req)) return;
    requestsInFlight.inc();
    // 'close' comes once per response, whether sent, failed or aborted by the client.
    reply.raw.once('close', () => requestsInFlight.dec());
  });

  app.addHook('onResponse', async (req, reply) => {
    if (quiet(req)) return;
    record(req, reply);
    req.log.info(
      {
        method: req.method,
        url: req.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        operationName: req.operationName,
        clientName: header(req, CLIENT_NAME_HEADER),
        clientVersion: header(req, CLIENT_VERSION_HEADER),
      },
      'request',
    );
  });
}

import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, renderGraphQLErrorBody } from '../errors/catalog.js';
import { setSpanAttributes } from '../telemetry/trace.js';
import type { ResponseCache } from './responseCache.js';
import { HeaderMap } from './apollo.js';

export interface GraphQLRouteOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  context: (req: FastifyRequest, reply: FastifyReply) => Promise<C>;
  /** @default '/graphql' */
  path?: string;
  /** Answers cacheable answers from bytes, in front of Apollo (its `plugin()` must be installed in `server`). */
  responseCache?: ResponseCache | undefined;
  /** Checks that belong to this route alone, run before its body is read. @default none */
  onRequest?: onRequestAsyncHookHandler;
  /** Largest answer sent; a larger one is replaced by 400 OPERATION_LIMIT_EXCEEDED. @default no limit */
  maxResponseBytes?: number | undefined;
}

/** Whether an encoded answer is over the budget; its length in UTF-16 units bounds its bytes from below. */
const overBudget = (text: string, max: number | undefined) =>
  max !== undefined && text.length > max / 3 && Buffer.byteLength(text) > max;

/**
 * Whether the router sent this request to a GraphQL route. Guards decide by this, never by the
 * URL string: the router matches a decoded path (`/%67raphql`, an absolute-form target), so a
 * comparison with the raw URL would let such a spelling reach the route past the guards.
 */
export const isGraphQLRoute = (req: FastifyRequest): boolean => req.routeOptions.config?.graphql === true;

function operationNameOf(req: FastifyRequest): string | undefined {
  const source = (req.method === 'GET' ? req.query : req.body) as { operationName?: unknown } | undefined;
  return typeof source?.operationName === 'string' ? source.operationName.slice(0, 100) : undefined;
}

/**
 * The query string as fastify parsed it (and as the guards saw it), never re-read from the raw
 * URL: the two parsers disagree on targets like `/graphql#x?query=...`, and Apollo would then run
 * a query that the persisted-only check never saw.
 */
function searchOf(req: FastifyRequest): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') search.append(name, item);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Apollo clones the context per operation, but hands plugins the very HTTP request object given
// to it: the way back from a plugin to the fastify request (for its access log and metrics).
const fastifyRequests = new WeakMap<HTTPGraphQLRequest, FastifyRequest>();

/** The fastify request an Apollo plugin's `request.http` came from, when served by `mountGraphQL`. */
export function fastifyRequestOf(http: HTTPGraphQLRequest | undefined): FastifyRequest | undefined {
  return http && fastifyRequests.get(http);
}

/**
 * Serves an (already started) Apollo Server on a fastify route. Written here rather than taken
 * from an integration package so the edge controls body parsing, status codes and headers.
 */
export function mountGraphQL<C extends BaseContext>(app: FastifyInstance, options: GraphQLRouteOptions<C>): void {
  app.route({
    method: ['GET', 'POST'],
    url: options.path ?? '/graphql',
    config: { graphql: true },
    ...(options.onRequest && { onRequest: options.onRequest }),
    handler: async (req, reply) => {
      req.operationName = operationNameOf(req);
      const { responseCache } = options;
      const cached = await responseCache?.lookup(req);
      if (cached) {
        // A cached answer was stored by an operation that parsed and validated.
        if (cached.operationName) {
          req.operationName = cached.operationName;
          req.operationValidated = true;
        }
        if (req.operationName) setSpanAttributes({ 'graphql.operation.name': req.operationName });
        return reply.code(200).headers(cached.headers).send(cached.body);
      }
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const httpGraphQLRequest: HTTPGraphQLRequest = {
        method: req.method,
        headers,
        search: searchOf(req),
        body: req.body,
      };
      fastifyRequests.set(httpGraphQLRequest, req);
      const response = await options.server.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => options.context(req, reply),
      });
      if (req.operationName) setSpanAttributes({ 'graphql.operation.name': req.operationName });
      if (response.body.kind === 'complete' && overBudget(response.body.string, options.maxResponseBytes)) {
        // The per-request budget: an answer this large is refused, whatever it cost to make.
        const error = new AppError(
          'OPERATION_LIMIT_EXCEEDED',
          `The answer is larger than ${options.maxResponseBytes} bytes: ask for less`,
        );
        return reply.code(400).header('cache-control', 'no-store').send(renderGraphQLErrorBody(error));
      }
      const status = response.status ?? 200;
      await responseCache?.store(req, httpGraphQLRequest, {
        status,
        contentType: response.headers.get('content-type'),
      });
      for (const [name, value] of response.headers) reply.header(name, value);
      reply.code(status);
      // Sent as bytes: the encoded answer lives outside the JS heap while the socket drains it, so
      // the garbage collector never copies a large answer from one generation to the next.
      if (response.body.kind === 'complete') return reply.send(Buffer.from(response.body.string));
      const chunks: string[] = [];
      for await (const chunk of response.body.asyncIterator) chunks.push(chunk);
      return reply.send(chunks.join(''));
    },
  });
}

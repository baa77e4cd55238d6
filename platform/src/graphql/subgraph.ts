import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { InternalCaller, InternalVerifier } from '../auth/identity.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import { mountGraphQL } from './route.js';
import { createGraphQLServer } from './server.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the gateway says is calling, from its signed credential (subgraphs only). */
    caller?: InternalCaller;
  }
}

/** Who a subgraph request is for, as the gateway's signed credential says. */
export interface SubgraphCaller {
  /** Undefined for anonymous callers. */
  userId: string | undefined;
  requestId: string;
}

/** What a subgraph's `buildApp` takes. */
export interface SubgraphAppDeps<Store> {
  logger: Logger;
  production: boolean;
  /** Checks the gateway's credential on every GraphQL request (`createInternalVerifier`). */
  credentials: InternalVerifier;
  /** Where the subgraph reads its data. @default the deterministic seed data */
  store?: Store;
}

export interface SubgraphServerOptions<C extends BaseContext> {
  /** The subgraph's executable schema (the subgraph builds it, e.g. with `buildSubgraphSchema`). */
  schema: GraphQLSchema;
  /** One request's context; called once per request, so per-request state stays per request. */
  createContext: (caller: SubgraphCaller) => C | Promise<C>;
  logger: Logger;
  production: boolean;
  credentials: InternalVerifier;
}

/**
 * A subgraph's HTTP server: its schema on `/graphql` behind the platform's HTTP shell. Only the
 * gateway may query it: a GraphQL request without a valid gateway credential is answered 401
 * before its body is read (probes and /metrics stay open). Never listens; closing it stops Apollo.
 */
export async function buildSubgraphServer<C extends BaseContext>(
  options: SubgraphServerOptions<C>,
): Promise<HttpServer> {
  const graphql = createGraphQLServer<C>({ source: { schema: options.schema }, production: options.production });
  await graphql.start();
  const server = createHttpServer({ logger: options.logger, errorShape: 'graphql' });
  mountGraphQL(server.app, {
    server: graphql,
    // On the route itself, so every spelling of its URL the router accepts is checked.
    onRequest: async (req) => {
      req.caller = await options.credentials(req.headers);
    },
    context: async (req) => options.createContext({ userId: req.caller?.userId, requestId: req.id }),
  });
  server.app.addHook('onClose', () => graphql.stop());
  return server;
}

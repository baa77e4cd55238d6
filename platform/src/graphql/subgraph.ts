import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { userIdFrom } from '../auth/identity.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import { mountGraphQL } from './route.js';
import { createGraphQLServer } from './server.js';

/** Who a subgraph request is for, as the gateway said it (`identityHeaders`). */
export interface SubgraphCaller {
  /** Undefined for anonymous callers. */
  userId: string | undefined;
  requestId: string;
}

/** What a subgraph's `buildApp` takes. */
export interface SubgraphAppDeps<Store> {
  logger: Logger;
  production: boolean;
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
}

/**
 * A subgraph's HTTP server: its schema on `/graphql` behind the platform's HTTP shell, with the
 * caller read from the gateway's identity header. Never listens; closing it stops Apollo.
 */
export async function buildSubgraphServer<C extends BaseContext>(
  options: SubgraphServerOptions<C>,
): Promise<HttpServer> {
  const graphql = createGraphQLServer<C>({ source: { schema: options.schema }, production: options.production });
  await graphql.start();
  const server = createHttpServer({ logger: options.logger, errorShape: 'graphql' });
  mountGraphQL(server.app, {
    server: graphql,
    context: async (req) => options.createContext({ userId: userIdFrom(req.headers), requestId: req.id }),
  });
  server.app.addHook('onClose', () => graphql.stop());
  return server;
}

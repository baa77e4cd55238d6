import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  createGraphQLServer,
  createHttpServer,
  type HttpServer,
  type Logger,
  mountGraphQL,
  userIdFrom,
} from '@edgeway/platform';
import { parse } from 'graphql';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { createSeedStore, type ReviewStore } from './store.js';

export { createContext, type SubgraphContext } from './context.js';
export { REVIEWS, type ReviewRecord, USERNAMES } from './data.js';
export { createSeedStore, type ReviewStore } from './store.js';

export interface AppDeps {
  logger: Logger;
  production: boolean;
  /** Where reviews are read from. @default the deterministic seed data */
  store?: ReviewStore;
}

const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export function buildSchema() {
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}

export async function buildApp(deps: AppDeps): Promise<HttpServer> {
  const store = deps.store ?? createSeedStore();
  const graphql = createGraphQLServer<SubgraphContext>({
    source: { schema: buildSchema() },
    production: deps.production,
  });
  await graphql.start();
  const server = createHttpServer({ logger: deps.logger, errorShape: 'graphql' });
  mountGraphQL(server.app, {
    server: graphql,
    context: async (req) => createContext(store, { userId: userIdFrom(req.headers), requestId: req.id }),
  });
  server.app.addHook('onClose', () => graphql.stop());
  return server;
}

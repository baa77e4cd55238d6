import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraphServer, type HttpServer, type SubgraphAppDeps } from '@edgeway/platform';
import { parse } from 'graphql';
import { createContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { createSeedStore, type OrderStore } from './store.js';

export { createContext, type SubgraphContext } from './context.js';
export { ORDERS, type OrderItemRecord, type OrderRecord, type OrderStatus } from './data.js';
export { createSeedStore, type OrderStore } from './store.js';

export type AppDeps = SubgraphAppDeps<OrderStore>;

const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export const buildSchema = () => buildSubgraphSchema([{ typeDefs, resolvers }]);

export const buildApp = async ({ store = createSeedStore(), ...deps }: AppDeps): Promise<HttpServer> =>
  buildSubgraphServer({ ...deps, schema: buildSchema(), createContext: (caller) => createContext(store, caller) });

import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraphServer, type HttpServer, type SubgraphAppDeps } from '@edgeway/platform';
import { parse } from 'graphql';
import { createContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { createSeedStore, type StockStore } from './store.js';

export { createContext, type SubgraphContext } from './context.js';
export { FREE_SHIPPING_ABOVE, SHIPPING_CENTS_PER_GRAM, STOCK, type StockedProduct } from './data.js';
export { shippingEstimate } from './shipping.js';
export { createSeedStore, type StockStore } from './store.js';

export type AppDeps = SubgraphAppDeps<StockStore>;

const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export const buildSchema = () => buildSubgraphSchema([{ typeDefs, resolvers }]);

export const buildApp = async ({ store = createSeedStore(), ...deps }: AppDeps): Promise<HttpServer> =>
  buildSubgraphServer({ ...deps, schema: buildSchema(), createContext: (caller) => createContext(store, caller) });

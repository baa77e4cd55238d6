import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraphServer, type HttpServer, type SubgraphAppDeps } from '@edgeway/platform';
import { parse } from 'graphql';
import { createContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { createSeedStore, type UserStore } from './store.js';

export { createContext, type SubgraphContext } from './context.js';
export { USERS, type UserRecord } from './data.js';
export { createSeedStore, type UserStore } from './store.js';

export type AppDeps = SubgraphAppDeps<UserStore>;

const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export const buildSchema = () => buildSubgraphSchema([{ typeDefs, resolvers }]);

export const buildApp = async ({ store = createSeedStore(), ...deps }: AppDeps): Promise<HttpServer> =>
  buildSubgraphServer({ ...deps, schema: buildSchema(), createContext: (caller) => createContext(store, caller) });

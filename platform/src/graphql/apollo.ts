// @apollo/server as every service loads it: its CommonJS build. There its request pipeline calls
// its helpers through their module objects, which lets the gateway replace one of them, guarded by
// version, as it does functions of @apollo/gateway (gateway/src/apolloPatchTable.ts). Values of
// @apollo/server are taken from here only, so a process never mixes the two builds' classes.
import { createRequire } from 'node:module';
import type * as Server from '@apollo/server';
import type * as Disabled from '@apollo/server/plugin/disabled';

const require = createRequire(import.meta.url);

export const { ApolloServer, HeaderMap } = require('@apollo/server') as typeof Server;
export const { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } =
  require('@apollo/server/plugin/disabled') as typeof Disabled;

import {
  createGraphQLServer,
  createHttpServer,
  degradationPlugin,
  type HttpServer,
  installAuth,
  type Logger,
  mountGraphQL,
  type TokenVerifier,
} from '@edgeway/platform';
import type { BffConfig } from './config.js';
import { type BffContext, createContextFactory } from './context.js';
import type { Upstreams } from './loaders/index.js';
import { buildSchema } from './schema.js';

export type { BffConfig } from './config.js';
export { configShape } from './config.js';

export interface BffDeps extends Upstreams {
  verifier: TokenVerifier;
  logger: Logger;
}

/** bff-web's HTTP server from config and deps (tests pass fake upstreams). Never listens. */
export async function buildApp(config: Pick<BffConfig, 'NODE_ENV'>, deps: BffDeps): Promise<HttpServer> {
  const server = createHttpServer({ logger: deps.logger, errorShape: 'graphql' });
  installAuth(server.app, deps.verifier);
  const apollo = createGraphQLServer<BffContext>({
    source: { schema: buildSchema() },
    production: config.NODE_ENV === 'production',
    plugins: [degradationPlugin((context) => context.degradation)],
  });
  await apollo.start();
  server.app.addHook('onClose', () => apollo.stop());
  mountGraphQL(server.app, { server: apollo, context: createContextFactory(deps) });
  return server;
}

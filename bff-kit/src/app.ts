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
import { type BffContext, createContextFactory, type OwnLoaders, type Upstreams } from './context.js';
import type { Feature } from './feature.js';
import { buildBffSchema } from './schema.js';

/** What makes one BFF differ from another; everything else is the kit's. */
export interface Bff<Own> {
  /** The service name in logs and traces, and of its client contract (`shared/contracts/<name>.graphql`). */
  name: string;
  /** The PORT it listens on when none is set (SPEC section 2). */
  port: number;
  features: ReadonlyArray<Feature>;
  /** Loaders for the BFF's own gateway operations, beside the shared ones (see `SharedLoaders`). */
  ownLoaders: OwnLoaders<Own>;
}

export interface BffDeps extends Upstreams {
  verifier: TokenVerifier;
  logger: Logger;
}

/** A BFF's HTTP server from its definition, config and deps (tests pass fake upstreams). Never listens. */
export async function buildBffApp<Own>(
  bff: Bff<Own>,
  config: Pick<BffConfig, 'NODE_ENV'>,
  deps: BffDeps,
): Promise<HttpServer> {
  const server = createHttpServer({ logger: deps.logger, errorShape: 'graphql' });
  installAuth(server.app, deps.verifier);
  const apollo = createGraphQLServer<BffContext<Own>>({
    source: { schema: buildBffSchema(bff.features) },
    production: config.NODE_ENV === 'production',
    plugins: [degradationPlugin((context) => context.degradation)],
  });
  await apollo.start();
  server.app.addHook('onClose', () => apollo.stop());
  mountGraphQL(server.app, { server: apollo, context: createContextFactory(deps, bff.ownLoaders) });
  return server;
}

import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { maskError } from '../errors/mask.js';
import { traceIdPlugin } from './plugins/traceId.js';

export type SchemaSource =
  { schema: GraphQLSchema } | { gateway: NonNullable<ApolloServerOptions<BaseContext>['gateway']> };

export interface GraphQLServerOptions<C extends BaseContext> {
  source: SchemaSource;
  production: boolean;
  plugins?: ApolloServerPlugin<C>[];
}

/**
 * Apollo Server with Edgeway's defaults: errors masked through the catalog, no stack traces,
 * introspection and field suggestions off in production, CSRF prevention on, and no landing
 * page that would load a CDN.
 */
export function createGraphQLServer<C extends BaseContext>(options: GraphQLServerOptions<C>): ApolloServer<C> {
  const { production } = options;
  const common = {
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    // The service's own drain (platform/src/http/lifecycle.ts) stops the server; Apollo's would
    // re-raise the signal and exit 143 before telemetry is flushed.
    stopOnTerminationSignals: false,
    formatError: (formatted: Parameters<typeof maskError>[0], error: unknown) =>
      maskError(formatted, { production }, error),
    // Traces go through OpenTelemetry; Apollo's ftv1 inline traces would only add cost (and a
    // non-JSON stdout line in subgraphs).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      traceIdPlugin<C>(),
      ...(options.plugins ?? []),
    ],
  };
  return 'schema' in options.source
    ? new ApolloServer<C>({ ...common, schema: options.source.schema })
    : new ApolloServer<C>({ ...common, gateway: options.source.gateway });
}

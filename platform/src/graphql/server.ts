import type { ApolloServer as Server, ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { maskError } from '../errors/mask.js';
import {
  ApolloServer,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from './apollo.js';
import { type OperationLimitOptions, operationLimits } from './plugins/limits.js';
import { operationResolutionPlugin } from './plugins/operation.js';
import { metricsPlugin } from './plugins/metrics.js';
import { traceIdPlugin } from './plugins/traceId.js';

export type SchemaSource =
  { schema: GraphQLSchema } | { gateway: NonNullable<ApolloServerOptions<BaseContext>['gateway']> };

export interface GraphQLServerOptions<C extends BaseContext> {
  source: SchemaSource;
  production: boolean;
  plugins?: ApolloServerPlugin<C>[];
  /** Depth, alias, token, directive and cost limits for client operations. @default none (subgraphs) */
  limits?: Omit<OperationLimitOptions, 'production'>;
  /** Where automatic persisted queries are kept. @default Apollo's bounded in-memory LRU */
  persistedQueries?: Exclude<ApolloServerOptions<C>['persistedQueries'], false | undefined>;
}

/**
 * Apollo Server with Edgeway's defaults: errors masked through the catalog, no stack traces,
 * introspection and field suggestions off in production, CSRF prevention on, and no landing
 * page that would load a CDN.
 */
export function createGraphQLServer<C extends BaseContext>(options: GraphQLServerOptions<C>): Server<C> {
  const { production } = options;
  const limits = options.limits && operationLimits<C>({ ...options.limits, production });
  const common = {
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    // One operation per request: a batch would multiply one request's work past the rate limit.
    allowBatchedHttpRequests: false,
    ...(limits ? { validationRules: limits.validationRules, parseOptions: limits.parseOptions } : {}),
    ...(options.persistedQueries ? { persistedQueries: options.persistedQueries } : {}),
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
      operationResolutionPlugin<C>(),
      metricsPlugin<C>(),
      ...(limits?.plugins ?? []),
      ...(options.plugins ?? []),
    ],
  };
  return 'schema' in options.source
    ? new ApolloServer<C>({ ...common, schema: options.source.schema })
    : new ApolloServer<C>({ ...common, gateway: options.source.gateway });
}

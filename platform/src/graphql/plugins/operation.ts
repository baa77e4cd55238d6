import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

const refuse = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/**
 * Refuses, as the client's mistake (400 BAD_USER_INPUT), a request whose operation cannot run
 * here: an operationName the document does not define, several operations without a name, or
 * an operation type the schema has no root for (a subscription on a server without
 * subscriptions). Apollo Server checks the first two only when it executes itself, not for a
 * gateway, and the last one surfaces from the executor as an internal error.
 */
export function operationResolutionPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          if (!operation) {
            throw refuse(
              request.operationName
                ? `Unknown operation named "${request.operationName.slice(0, 100)}".`
                : 'Must provide operation name if query contains multiple operations.',
            );
          }
          if (!schema.getRootType(operation.operation)) {
            throw refuse(`This service has no ${operation.operation} operations.`);
          }
        },
      };
    },
  };
}

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * An AppError carries the HTTP status to answer when it ends a whole request, and Apollo Server
 * applies it to any response that carries it. Thrown by a resolver it is a field error: the
 * response still has data and must stay 200, because the gateway (RemoteGraphQLDataSource)
 * rejects any non-2xx subgraph answer and would lose the partial data and the error's code.
 */
export function fieldErrorsKeepStatus200<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === 'single' && response.body.singleResult.data !== undefined) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
